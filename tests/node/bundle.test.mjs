// Deterministic budgets of the build (DESIGN.md section 5): bytes, not timings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const dist = 'dist';
const entry = readFileSync(`${dist}/voice-assistant.js`);

test('the entry is at most 10 KB gzip, lit included', () => {
  const gz = gzipSync(entry, { level: 9 }).length;
  console.log(`entry: ${entry.length} B raw, ${gz} B gzip (budget 10240)`);
  assert.ok(gz <= 10 * 1024, `entry is ${gz} B gzip`);
  assert.match(entry.toString(), /ReactiveElement|reactive-element|litPropertyMetadata/, 'lit is bundled into the entry');
});

test('the entry imports nothing statically; lazy imports are relative and exist', () => {
  const src = entry.toString();
  assert.doesNotMatch(src, /(^|[;}\n])\s*import\s*[{*\w"']/, 'no static import in the entry');
  const lazy = [...src.matchAll(/import\(\s*[`"'](\.\/[^`"']+)[`"']\s*\)/g)].map((m) => m[1]);
  assert.ok(lazy.length >= 1, 'at least one lazy chunk');
  for (const rel of lazy) assert.ok(existsSync(`${dist}/${rel}`), `${rel} exists`);
});

test('every file a chunk references by relative URL is in dist/', () => {
  const files = new Set(readdirSync(dist));
  for (const f of files) {
    if (!f.endsWith('.js')) continue;
    const src = readFileSync(`${dist}/${f}`, 'utf8');
    for (const m of src.matchAll(/(?:import\(|from)\s*[`"']\.\/([^`"'?#]+)/g)) assert.ok(files.has(m[1]), `${f} -> ${m[1]}`);
    assert.doesNotMatch(src, /["'`]\/assets\//, `${f} has no root-absolute /assets/ URL`);
    // Identifiers that are never fetched: namespaces, the JSON Schema draft, and the fallback base
    // URI @cfworker/json-schema resolves schema ids against where `self.location` is missing.
    assert.doesNotMatch(src, /https?:\/\/(?!www\.w3\.org\/|json-schema\.org\/draft\/|github\.com\/cfworker`)[a-z0-9.-]+\.(com|net|org|io|dev)\//i, `${f} names no CDN`);
  }
});
