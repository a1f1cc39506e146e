// The README's reference tables are generated from custom-elements.json by
// scripts/readme-api.mjs; this fails when they are stale (run it and commit README.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sections, updateReadme } from '../../scripts/readme-api.mjs';

const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8'));
const readme = readFileSync('README.md', 'utf8');

test('README.md reference tables are fresh', () => {
  assert.equal(readme, updateReadme(readme, manifest), 'stale: run `npm run manifest && node scripts/readme-api.mjs`');
});

test('the tables hold every attribute, method, event, part and state of the manifest', () => {
  const s = sections(manifest);
  for (const a of ['text-input', 'language', 'endpoint']) assert.match(s.attributes, new RegExp(`\\| \`${a}\` \\|`));
  for (const m of ['send(text: string)', 'start()', 'VoiceAssistant.registerEngine(']) assert.ok(s.methods.includes(m), m);
  for (const e of ['voice-transcript', 'voice-state', 'voice-error']) assert.ok(s.events.includes(`\`${e}\``), e);
  for (const p of ['input', 'close', 'mute', 'launcher']) assert.ok(s.parts.includes(`\`${p}\``), p);
  assert.ok(s.states.includes('`:state(listening)`'));
  // A change to the manifest shows as a stale README.
  const changed = structuredClone(manifest);
  changed.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'voice-assistant').attributes[0].description = 'changed';
  assert.notEqual(updateReadme(readme, changed), readme);
});
