import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { RunningServer } from '../src/server.ts';
import { getToken, postJson, rawRequest, start, wavForm } from './helpers.ts';

type ErrorBody = { error: { message: string; type: string; code?: string } };

describe('HTTP errors', () => {
  let server: RunningServer;
  let token: string;
  const lines: string[] = [];
  before(async () => {
    server = await start({ quiet: false, log: (l) => lines.push(l), maxBodyBytes: { audio: 64 * 1024, json: 1024 } });
    token = await getToken(server.url);
  });
  after(() => server.close());

  test('unknown routes -> 404 JSON', async () => {
    for (const path of ['/v1/models/nope', '/v1', '/v1/audio/translations']) {
      const r = await postJson(server.url, path, token, {});
      assert.equal(r.status, 404, path);
      const err = (await r.json()) as ErrorBody;
      assert.equal(err.error.type, 'invalid_request_error');
      assert.equal(err.error.code, 'not_found');
    }
  });

  test('wrong method -> 405 with Allow', async () => {
    const cases: [string, string, string][] = [
      ['GET', '/v1/chat/completions', 'POST'],
      ['PUT', '/v1/audio/speech', 'POST'],
      ['DELETE', '/token', 'GET, POST'],
      ['POST', '/index.html', 'GET, HEAD'],
    ];
    for (const [method, path, allow] of cases) {
      const r = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
      assert.equal(r.status, 405, `${method} ${path}`);
      assert.equal(r.headers.get('allow'), allow);
      assert.equal(((await r.json()) as ErrorBody).error.code, 'method_not_allowed');
    }
  });

  test('malformed JSON -> 400', async () => {
    const r = await postJson(server.url, '/v1/chat/completions', token, '{"messages": [}');
    assert.equal(r.status, 400);
    const err = (await r.json()) as ErrorBody;
    assert.equal(err.error.type, 'invalid_request_error');
    assert.equal(err.error.code, 'invalid_json');
    assert.match(err.error.message, /Malformed JSON/);
  });

  test('a JSON body over the limit -> 413 (declared length)', async () => {
    const r = await postJson(server.url, '/v1/chat/completions', token, { messages: [{ role: 'user', content: 'x'.repeat(2000) }] });
    assert.equal(r.status, 413);
    const err = (await r.json()) as ErrorBody;
    assert.equal(err.error.code, 'body_too_large');
    assert.match(err.error.message, /1024 bytes/);
  });

  test('an audio upload over the limit -> 413', async () => {
    const r = await fetch(`${server.url}/v1/audio/transcriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: wavForm(Buffer.alloc(200 * 1024)),
    });
    assert.equal(r.status, 413);
    assert.equal(((await r.json()) as ErrorBody).error.code, 'body_too_large');
  });

  test('a chunked body (no Content-Length) is cut off at the limit while streaming -> 413', async () => {
    const u = new URL(server.url);
    const result = await new Promise<{ status: number; body: string; sentBytes: number }>((resolve, reject) => {
      let sentBytes = 0;
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          path: '/v1/audio/speech',
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString(), sentBytes }));
        },
      );
      req.on('error', reject);
      // Keep sending until the server answers (it must not wait for the end of the body).
      const piece = Buffer.alloc(256, 0x20);
      const timer = setInterval(() => {
        if (sentBytes > 1024 * 1024) {
          clearInterval(timer);
          req.end();
          return;
        }
        sentBytes += piece.length;
        req.write(piece);
      }, 1);
      req.on('response', () => clearInterval(timer));
      req.on('close', () => clearInterval(timer));
    });
    assert.equal(result.status, 413);
    assert.equal((JSON.parse(result.body) as ErrorBody).error.code, 'body_too_large');
    assert.ok(result.sentBytes < 1024 * 1024, `answered after ${result.sentBytes} bytes, before the body ended`);
  });

  test('every error uses the OpenAI shape and JSON content type', async () => {
    const r = await rawRequest(server.url, '/v1/nope', { method: 'POST' });
    assert.equal(r.status, 404);
    assert.match(String(r.headers['content-type']), /^application\/json/);
    const body = JSON.parse(r.body) as ErrorBody;
    assert.deepEqual(Object.keys(body), ['error']);
    assert.equal(typeof body.error.message, 'string');
    assert.equal(typeof body.error.type, 'string');
  });

  test('one log line per request: method, path, status, ms', async () => {
    lines.length = 0;
    await (await fetch(`${server.url}/token?x=1`)).text();
    await (await fetch(`${server.url}/v1/nope`, { method: 'POST' })).text();
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /^GET \/token 200 \d+ms$/);
    assert.match(lines[1]!, /^POST \/v1\/nope 404 \d+ms$/);
  });
});

test('default limits: an 11 MB audio upload -> 413, declared or streamed', async () => {
  const server = await start();
  try {
    const token = await getToken(server.url);
    const declared = await fetch(`${server.url}/v1/audio/transcriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: wavForm(Buffer.alloc(11 * 1024 * 1024)),
    });
    assert.equal(declared.status, 413);
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 11; i++) c.enqueue(new Uint8Array(1024 * 1024));
        c.close();
      },
    });
    const streamed = await fetch(`${server.url}/v1/audio/transcriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data; boundary=xyz' },
      body,
      duplex: 'half',
    } as RequestInit);
    assert.equal(streamed.status, 413);
    assert.equal(((await streamed.json()) as ErrorBody).error.code, 'body_too_large');
  } finally {
    await server.close();
  }
});

test('quiet: no log lines', async () => {
  const lines: string[] = [];
  const server = await start({ quiet: true, log: (l) => lines.push(l) });
  try {
    await (await fetch(`${server.url}/token`)).text();
    assert.deepEqual(lines, []);
  } finally {
    await server.close();
  }
});
