// After `vite build`: writes dist/asset-manifest.json, the size and SHA-256 of every file the
// widget ships (and a sha384 Subresource Integrity value for the script tag). The widget checks
// each large download (models, wasm) against it before use (src/internal/asset-integrity.ts).
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const dist = resolve(process.argv[2] ?? 'dist');
const NAME = 'asset-manifest.json';
const files = (dir) => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
const manifest = { version: 1, algorithm: 'SHA-256', files: {} };
for (const file of files(dist).sort()) {
  const name = relative(dist, file).split('\\').join('/');
  if (name === NAME || /\.(br|gz)$/.test(name) || name.startsWith('types/')) continue;
  const bytes = readFileSync(file);
  manifest.files[name] = {
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    integrity: `sha384-${createHash('sha384').update(bytes).digest('base64')}`,
  };
}
writeFileSync(join(dist, NAME), `${JSON.stringify(manifest, null, 1)}\n`);
console.log(`asset-manifest: ${Object.keys(manifest.files).length} files in dist/${NAME}`);
