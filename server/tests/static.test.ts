import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunningServer } from '../src/server.ts';
import { safeJoin } from '../src/static.ts';
import { rawRequest, start, tempDir } from './helpers.ts';

describe('static files', () => {
  const tmp = tempDir();
  const demo = join(tmp.dir, 'demo');
  const dist = join(tmp.dir, 'dist');
  let server: RunningServer;
  before(async () => {
    mkdirSync(join(demo, 'sub'), { recursive: true });
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(demo, 'index.html'), '<!doctype html><title>demo</title>');
    writeFileSync(join(demo, 'app.css'), 'body{}');
    writeFileSync(join(demo, 'sub', 'index.html'), '<p>sub</p>');
    writeFileSync(join(demo, '.env'), 'SECRET=1');
    writeFileSync(join(dist, 'voice-assistant.js'), 'export {};');
    writeFileSync(join(dist, 'assets', 'ort.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d]));
    writeFileSync(join(dist, 'assets', 'ort.mjs'), 'export {};');
    writeFileSync(join(dist, 'assets', 'silero.onnx'), Buffer.alloc(16));
    writeFileSync(join(tmp.dir, 'secret.txt'), 'outside');
    server = await start({ demoDir: demo, distDir: dist });
  });
  after(async () => {
    await server.close();
    tmp.cleanup();
  });

  test('GET / serves demo/index.html; other demo files too', async () => {
    const r = await fetch(`${server.url}/`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(await r.text(), '<!doctype html><title>demo</title>');
    const css = await fetch(`${server.url}/app.css`);
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
    assert.equal(await (await fetch(`${server.url}/sub/`)).text(), '<p>sub</p>');
  });

  test('/dist/* serves dist/ with the right content types', async () => {
    const cases: [string, string, number][] = [
      ['/dist/voice-assistant.js', 'text/javascript; charset=utf-8', 10],
      ['/dist/assets/ort.wasm', 'application/wasm', 4],
      ['/dist/assets/ort.mjs', 'text/javascript; charset=utf-8', 10],
      ['/dist/assets/silero.onnx', 'application/octet-stream', 16],
    ];
    for (const [path, type, size] of cases) {
      const r = await fetch(`${server.url}${path}`);
      assert.equal(r.status, 200, path);
      assert.equal(r.headers.get('content-type'), type, path);
      assert.equal((await r.arrayBuffer()).byteLength, size);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    }
  });

  test('missing files -> 404 JSON', async () => {
    for (const path of ['/nope.html', '/dist/nope.js', '/dist/', '/dist']) {
      const r = await fetch(`${server.url}${path}`);
      assert.equal(r.status, 404, path);
      const err = (await r.json()) as { error: { type: string; code: string } };
      assert.equal(err.error.code, 'not_found');
    }
  });

  test('no path traversal, no dotfiles', async () => {
    const paths = [
      '/../secret.txt',
      '/dist/../secret.txt',
      '/dist/../demo/index.html',
      '/%2e%2e/secret.txt',
      '/dist/%2e%2e/secret.txt',
      '/dist/..%2fsecret.txt',
      '/dist/..%5csecret.txt',
      '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/..%2f..%2f..%2f..%2fetc/passwd',
      '/.env',
      '/%2eenv',
      '/index.html%00.js',
      '/%E0%A4%A',
    ];
    for (const path of paths) {
      const r = await rawRequest(server.url, path);
      assert.equal(r.status, 404, path);
      assert.ok(!r.body.includes('outside') && !r.body.includes('SECRET') && !r.body.includes('root:'), path);
      assert.equal((JSON.parse(r.body) as { error: { code: string } }).error.code, 'not_found');
    }
    assert.equal(safeJoin('/srv/demo', '/a/b.js'), '/srv/demo/a/b.js');
    assert.equal(safeJoin('/srv/demo', '/../x'), null);
    assert.equal(safeJoin('/srv/demo', '/a/%2e%2e/%2e%2e/x'), null);
  });

  test('HEAD, ETag and 304', async () => {
    const head = await fetch(`${server.url}/dist/voice-assistant.js`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), '10');
    assert.equal(await head.text(), '');
    const etag = head.headers.get('etag')!;
    assert.match(etag, /^W\/"/);
    const again = await fetch(`${server.url}/dist/voice-assistant.js`, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
  });
});

test('a missing demo/ and dist/ give 404 JSON, not a crash', async () => {
  const tmp = tempDir();
  const server = await start({ demoDir: join(tmp.dir, 'no-demo'), distDir: join(tmp.dir, 'no-dist') });
  try {
    for (const path of ['/', '/index.html', '/dist/voice-assistant.js']) {
      const r = await fetch(`${server.url}${path}`);
      assert.equal(r.status, 404, path);
      assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'not_found');
    }
    assert.equal((await fetch(`${server.url}/token`)).status, 200, 'the API still works');
  } finally {
    await server.close();
    tmp.cleanup();
  }
});
