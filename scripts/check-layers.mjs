// Fails when an import in src/ goes against the layers (STYLE.md section 8):
//   element -> session -> controllers -> engines / vad / ui / metrics -> audio / resilience / internal
//   -> events -> config (and errors.ts); frameworks (type-only JSX/Vue/Svelte typings) sit on top
// A module may import its own folder and any lower layer; nothing imports upward, and modules
// of one layer import each other only where SIDEWAYS says so. Run by the test command.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const LAYERS = [
  ['config', 'errors'],
  ['events'],
  ['audio', 'resilience', 'internal'],
  ['vad', 'engines', 'ui', 'metrics'],
  ['controllers'],
  ['session'],
  ['element'],
  ['frameworks'],
];
/** Same-layer imports that are allowed, `from -> to`: the asset loader retries with the resilience helper. */
const SIDEWAYS = new Set(['internal -> resilience']);

const root = resolve(process.argv[2] ?? 'src');
const rank = new Map(LAYERS.flatMap((names, i) => names.map((n) => [n, i])));

/** The layer of a file: its folder under src/, `errors` for src/errors.ts, `element` for the other top-level files. */
function layerOf(file) {
  const rel = relative(root, file).split(/[\\/]/);
  if (rel.length === 1) return rel[0] === 'errors.ts' ? 'errors' : 'element';
  return rel[0];
}

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.ts$/.test(n) ? [p] : [];
  });
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"`]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;
const problems = [];
for (const file of files(root)) {
  const from = layerOf(file);
  for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec.startsWith('.')) continue;
    const target = resolve(dirname(file), spec.replace(/\?.*$/, ''));
    if (!target.startsWith(root)) continue; // worklets/ and other build entries
    const to = layerOf(target.replace(/\.js$/, '.ts'));
    if (to === from) continue;
    const ok = rank.get(to) < rank.get(from) || SIDEWAYS.has(`${from} -> ${to}`);
    if (!ok) problems.push(`${relative(process.cwd(), file)}: imports ${spec} (${from} -> ${to})`);
  }
  if (!rank.has(from)) problems.push(`${relative(process.cwd(), file)}: folder '${from}' has no layer in scripts/check-layers.mjs`);
}
if (problems.length) {
  console.error(`Imports against the layers (STYLE.md section 8):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`layers: ${files(root).length} files in src/, every import points down`);
