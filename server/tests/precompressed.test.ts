// Precompressed assets through real HTTP (issue 17): the server sends the .br/.gz sibling that
// scripts/precompress.mjs wrote, with the right headers, and never compresses anything twice.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { RunningServer } from '../src/server.ts';
import { start, tempDir } from './helpers.ts';

function get(base: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('precompressed assets', () => {
  const tmp = tempDir();
  const dist = join(tmp.dir, 'dist');
  const model = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7) % 13));
  let server: RunningServer;
  before(async () => {
    mkdirSync(dist, { recursive: true });
    writeFileSync(join(dist, 'model.onnx'), model);
    writeFileSync(join(dist, 'model.onnx.br'), brotliCompressSync(model));
    writeFileSync(join(dist, 'model.onnx.gz'), gzipSync(model));
    writeFileSync(join(dist, 'voice-assistant.js'), 'export {};');
    writeFileSync(join(dist, 'lazy-Dt20lTcp.js'), 'export const x = 1;');
    server = await start({ distDir: dist, demoDir: tmp.dir });
  });
  after(async () => {
    await server.close();
    tmp.cleanup();
  });

  test('Accept-Encoding: br gets the .br file, labelled, smaller, and decoding to the original', async () => {
    const r = await get(server.url, '/dist/model.onnx', { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-encoding'], 'br');
    assert.equal(r.headers.vary, 'Accept-Encoding');
    assert.equal(r.headers['content-type'], 'application/octet-stream');
    assert.equal(Number(r.headers['content-length']), r.body.length);
    assert.ok(r.body.length < model.length / 4, `${r.body.length} B`);
    assert.deepEqual(brotliDecompressSync(r.body), model);
  });

  test('gzip without br gets the .gz file; br;q=0 is a refusal', async () => {
    for (const accept of ['gzip', 'br;q=0, gzip;q=0.8']) {
      const r = await get(server.url, '/dist/model.onnx', { 'accept-encoding': accept });
      assert.equal(r.headers['content-encoding'], 'gzip', accept);
      assert.deepEqual(gunzipSync(r.body), model);
    }
  });

  test('no Accept-Encoding: the file as it is, still marked as varying by encoding', async () => {
    const r = await get(server.url, '/dist/model.onnx');
    assert.equal(r.headers['content-encoding'], undefined);
    assert.equal(r.headers.vary, 'Accept-Encoding');
    assert.deepEqual(r.body, model);
  });

  test('the .br file asked for by name is sent as it is: never compressed twice', async () => {
    const r = await get(server.url, '/dist/model.onnx.br', { 'accept-encoding': 'br, gzip' });
    assert.equal(r.headers['content-encoding'], undefined);
    assert.deepEqual(brotliDecompressSync(r.body), model);
  });

  test('hashed names are immutable for a year; the entry and fixed names revalidate, 304 per encoding', async () => {
    assert.equal((await get(server.url, '/dist/lazy-Dt20lTcp.js')).headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal((await get(server.url, '/dist/voice-assistant.js')).headers['cache-control'], 'no-cache');
    const br = await get(server.url, '/dist/model.onnx', { 'accept-encoding': 'br' });
    const plain = await get(server.url, '/dist/model.onnx');
    assert.notEqual(br.headers.etag, plain.headers.etag);
    const again = await get(server.url, '/dist/model.onnx', { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
  });
});
