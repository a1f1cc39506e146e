// Prints the bytes a page loads before activation (the entry) and every lazy file, gzip,
// beside the anchors of DESIGN.md section 5; writes bench/reports/size.json.
// Usage: npm run build && node bench/size.mjs
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = 'dist';
const gz = (b) => gzipSync(b, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const rows = readdirSync(dist, { recursive: true, withFileTypes: true })
  .filter((d) => d.isFile() && !d.name.endsWith('.map'))
  .map((d) => {
    const path = `${d.parentPath ?? d.path}/${d.name}`;
    const buf = readFileSync(path);
    return { file: relative(dist, path), bytes: buf.length, gzip: gz(buf) };
  })
  .sort((a, b) => (a.file === 'voice-assistant.js' ? -1 : b.file === 'voice-assistant.js' ? 1 : a.gzip - b.gzip));

const entry = rows[0];
const anchors = { 'ElevenLabs embed': 191 * 1024, 'Vapi script tag': 67 * 1024 };
console.log('file'.padEnd(44), 'raw'.padStart(12), 'gzip'.padStart(12));
for (const r of rows) console.log(r.file.padEnd(44), kb(r.bytes).padStart(12), kb(r.gzip).padStart(12));
console.log(`\nbefore activation: ${entry.gzip} B gzip (budget 10240 B: ${entry.gzip <= 10240 ? 'within' : 'OVER'})`);
for (const [name, bytes] of Object.entries(anchors)) {
  console.log(`  vs ${name} ${kb(bytes)}: ${(bytes / entry.gzip).toFixed(1)}x smaller`);
}
const lazy = rows.slice(1).reduce((s, r) => s + r.gzip, 0);
console.log(`lazy files in all: ${kb(lazy)} gzip`);
mkdirSync('bench/reports', { recursive: true });
writeFileSync('bench/reports/size.json', JSON.stringify({ date: new Date().toISOString(), entry, files: rows, anchors }, null, 2));
