// Runs every benchmark in turn (after a build) and prints their numbers; each one writes its
// own bench/reports/<name>.json. Usage: npm run bench [-- name ...]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const all = ['size', 'load', 'vitals', 'cold', 'vad', 'turn', 'local', 'soak', 'wer'];
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : all;
if (!existsSync('dist/voice-assistant.js')) spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
let failed = 0;
for (const name of chosen) {
  if (!existsSync(`bench/${name}.mjs`)) continue;
  console.log(`\n=== bench/${name}`);
  const r = spawnSync('node', [`bench/${name}.mjs`], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
