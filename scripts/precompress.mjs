// After `vite build`: writes a brotli (.br, quality 11) and a gzip (.gz, level 9) sibling of every
// compressible file in dist/, so that a server or CDN sends the ort runtime (14.2 MB) as 2.3 MB
// and the VAD model (2.3 MB) as 1.8 MB without compressing at request time. Brotli at quality 11
// takes ~30 s for the runtime on this machine, so results are cached by content hash in
// node_modules/.cache/precompress/ (a rebuild with the same files takes no time).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dist = resolve(process.argv[2] ?? 'dist');
const cache = resolve('node_modules/.cache/precompress');
mkdirSync(cache, { recursive: true });
/** Already compressed, or too small to matter. */
const SKIP = /\.(br|gz|png|jpe?g|gif|webp|mp3|ogg|woff2?)$/i;
const MIN_BYTES = 1024;

const files = (dir) => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));

let raw = 0;
let br = 0;
let gz = 0;
const t0 = Date.now();
for (const file of files(dist)) {
  if (SKIP.test(file)) continue;
  const bytes = readFileSync(file);
  if (bytes.length < MIN_BYTES) continue;
  const key = createHash('sha256').update(bytes).digest('hex');
  for (const [ext, make] of [
    ['br', () => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } })],
    ['gz', () => gzipSync(bytes, { level: 9 })],
  ]) {
    const cached = join(cache, `${key}.${ext}`);
    if (!existsSync(cached)) writeFileSync(cached, make());
    const out = readFileSync(cached);
    writeFileSync(`${file}.${ext}`, out);
    if (ext === 'br') br += out.length;
    else gz += out.length;
  }
  raw += bytes.length;
}
const mb = (n) => (n / 1e6).toFixed(2);
console.log(`precompress: ${mb(raw)} MB in dist/ -> ${mb(br)} MB brotli, ${mb(gz)} MB gzip (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
