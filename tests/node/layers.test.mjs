// The import directions of src/ (STYLE.md section 8), checked by scripts/check-layers.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const check = (dir) => spawnSync(process.execPath, ['scripts/check-layers.mjs', dir], { encoding: 'utf8' });

test('every import in src/ points down the layers', () => {
  const r = check('src');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /every import points down/);
});

test('an upward or sideways import fails the check, naming the file and the layers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layers-'));
  for (const f of ['events', 'session', 'audio', 'engines/tts']) mkdirSync(join(dir, f), { recursive: true });
  writeFileSync(join(dir, 'session/host.ts'), 'export type Host = {};\n');
  writeFileSync(join(dir, 'events/e.ts'), "import type { Host } from '../session/host.js';\nexport type E = Host;\n");
  writeFileSync(join(dir, 'engines/tts/t.ts'), 'export type Pcm = {};\n');
  writeFileSync(join(dir, 'audio/q.ts'), "import type { Pcm } from '../engines/tts/t.js';\nexport const load = () => import('../session/host.js');\nexport type Q = Pcm;\n");
  const r = check(dir);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /events\/e\.ts: imports \.\.\/session\/host\.js \(events -> session\)/);
  assert.match(r.stderr, /audio\/q\.ts: imports \.\.\/engines\/tts\/t\.js \(audio -> engines\)/);
  assert.match(r.stderr, /audio\/q\.ts: imports \.\.\/session\/host\.js \(audio -> session\)/);
});
