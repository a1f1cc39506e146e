// custom-elements.json is generated from the class JSDoc and committed; this fails when it is
// stale, and when the contract of DESIGN.md section 1 is not all in it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const committed = readFileSync('custom-elements.json', 'utf8');

test('custom-elements.json is fresh', () => {
  // the analyzer resolves --outdir against the working directory, so it stays inside the tree
  const out = `tmp/cem-check-${process.pid}`;
  execFileSync('npx', ['custom-elements-manifest', 'analyze', '--config', 'custom-elements-manifest.config.mjs', '--outdir', out], { stdio: 'pipe' });
  const fresh = readFileSync(`${out}/custom-elements.json`, 'utf8');
  rmSync(out, { recursive: true, force: true });
  assert.equal(committed, fresh, 'custom-elements.json is stale: run `npm run manifest` and commit it');
});

test('the manifest holds the whole public contract', () => {
  const decl = JSON.parse(committed).modules.flatMap((m) => m.declarations).find((d) => d.tagName === 'voice-assistant');
  assert.ok(decl, 'voice-assistant is declared');
  const names = (list) => (list ?? []).map((x) => x.name).sort();
  const attributes = ['mode', 'stt', 'tts', 'chat', 'endpoint', 'stt-endpoint', 'tts-endpoint', 'chat-endpoint', 'transport', 'token-url', 'stt-model', 'tts-model', 'chat-model', 'voice',
    'instructions', 'commands', 'language', 'vad-threshold', 'silence-ms', 'max-utterance-s', 'audio-processing', 'barge-in', 'rate-limit',
    'preload', 'variant', 'config-url', 'persist', 'environment', 'groups', 'consent', 'text-input', 'metrics-url', 'asset-base', 'debug'];
  assert.deepEqual(names(decl.attributes), [...attributes].sort());
  for (const a of decl.attributes) assert.ok(a.fieldName, `${a.name} maps to a property`);
  const events = ['voice-state', 'voice-speech-start', 'voice-speech-end', 'voice-transcript', 'voice-command', 'voice-response',
    'voice-error', 'voice-rate-limited', 'voice-circuit', 'voice-variant', 'voice-metrics'];
  for (const e of events) assert.ok(names(decl.events).includes(e), `event ${e}`);
  const members = names(decl.members);
  for (const m of ['state', 'start', 'stop', 'speak', 'reset', 'retry', 'send', 'responder', 'commands', 'registerEngine']) {
    assert.ok(members.includes(m), `member ${m}`);
  }
  assert.deepEqual(names(decl.cssParts), ['close', 'input', 'launcher', 'meter', 'mute', 'panel', 'send', 'status', 'transcript']);
  assert.deepEqual(names(decl.cssProperties), ['--voice-accent', '--voice-font', '--voice-radius', '--voice-surface', '--voice-text', '--voice-z-index']);
  assert.deepEqual(names(decl.cssStates), ['disabled', 'error', 'idle', 'listening', 'loading', 'speaking', 'thinking', 'transcribing', 'user-speaking']);
});
