// Tokens bound to their origin, and two server instances with one secret sharing rate-limit counts
// through a real redis-server (Debian package "redis-server") on a free loopback port.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import type { RunningServer } from '../src/server.ts';
import { postJson, start, waitFor } from './helpers.ts';

const SECRET = 'one-secret-for-every-instance';
const chat = { messages: [{ role: 'user', content: 'hello' }] };

const tokenFor = async (base: string, origin?: string) => {
  const r = await fetch(`${base}/token`, { method: 'POST', headers: origin ? { origin } : {} });
  assert.equal(r.status, 200);
  return ((await r.json()) as { token: string }).token;
};

function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => ok(port));
    });
  });
}

describe('tokens are bound to the origin they were minted for', () => {
  let server: RunningServer;
  before(async () => {
    server = await start({ tokenSecret: SECRET, chatChunkDelayMs: 0, allowedOrigins: ['https://a.example', 'https://b.example'] });
  });
  after(() => server.close());

  test('a token from origin A works from A and is refused from B (403, OpenAI-style error)', async () => {
    const token = await tokenFor(server.url, 'https://a.example');
    assert.equal((await postJson(server.url, '/v1/chat/completions', token, chat, { origin: 'https://a.example' })).status, 200);
    for (const origin of ['https://b.example', 'https://a.example:8443', 'http://a.example']) {
      const r = await postJson(server.url, '/v1/chat/completions', token, chat, { origin });
      assert.equal(r.status, 403, origin);
      const err = (await r.json()) as { error: { type: string; code: string; message: string } };
      assert.equal(err.error.type, 'invalid_token');
      assert.equal(err.error.code, 'token_origin_mismatch');
      assert.match(err.error.message, new RegExp(origin.replace(/[.:/]/g, '\\$&')));
    }
    // Without an Origin header (not a browser) the call is the server's own origin: also not A.
    assert.equal((await postJson(server.url, '/v1/chat/completions', token, chat)).status, 403);
  });

  test("a token minted without Origin (same-origin GET, the SDK) works for the server's own pages and clients", async () => {
    const token = await tokenFor(server.url);
    assert.equal((await postJson(server.url, '/v1/chat/completions', token, chat)).status, 200);
    assert.equal((await postJson(server.url, '/v1/chat/completions', token, chat, { origin: new URL(server.url).origin })).status, 200);
    assert.equal((await postJson(server.url, '/v1/chat/completions', token, chat, { origin: 'https://a.example' })).status, 403);
  });
});

// The page both instances serve (behind one load balancer they also share their own origin).
const PAGE = 'https://shop.example';

describe('two instances, one secret, one Redis', () => {
  let redis: ChildProcess;
  let redisUrl: string;
  let a: RunningServer;
  let b: RunningServer;
  before(async () => {
    const port = await freePort();
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    redis.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    assert.ok(await waitFor(() => /Ready to accept connections/.test(out), 10_000), `redis-server did not start: ${out}`);
    redisUrl = `redis://127.0.0.1:${port}`;
    const opts = { tokenSecret: SECRET, chatChunkDelayMs: 0, redisUrl, rateLimits: { perToken: { burst: 4, perMinute: 1 }, perIp: { burst: 7, perMinute: 1 } } };
    a = await start(opts);
    b = await start(opts);
  });
  after(async () => {
    await a?.close();
    await b?.close();
    redis?.kill();
  });

  test("each accepts the other's tokens (same origin check, same secret)", async () => {
    const fromA = await tokenFor(a.url, PAGE);
    const r = await postJson(b.url, '/v1/chat/completions', fromA, chat, { origin: PAGE });
    assert.equal(r.status, 200);
    const sdk = new OpenAI({ baseURL: `${b.url}/v1`, apiKey: await tokenFor(a.url, PAGE), maxRetries: 0, defaultHeaders: { origin: PAGE } });
    assert.ok((await sdk.models.list()).data.length >= 3);
  });

  test('the per-token limit is counted across both instances (4 in a burst, then 429 from either)', async () => {
    const token = await tokenFor(a.url, PAGE);
    const statuses: number[] = [];
    for (const server of [a, b, a, b, a, b]) statuses.push((await postJson(server.url, '/v1/chat/completions', token, chat, { origin: PAGE })).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429]);
    const r = await postJson(b.url, '/v1/chat/completions', token, chat, { origin: PAGE });
    assert.equal(r.status, 429);
    assert.ok(Number(r.headers.get('retry-after')) >= 30, `Retry-After ${r.headers.get('retry-after')}`);
    const err = (await r.json()) as { error: { type: string; code: string } };
    assert.deepEqual([err.error.type, err.error.code], ['rate_limit_exceeded', 'rate_limited']);
  });

  test('the per-IP limit spans tokens and instances', async () => {
    // The IP has made 2 + 4 counted calls above (a 429 of the token bucket takes nothing from it): 1 of 7 left.
    const statuses: number[] = [];
    for (const server of [a, b, a]) statuses.push((await postJson(server.url, '/v1/chat/completions', await tokenFor(b.url, PAGE), chat, { origin: PAGE })).status);
    assert.deepEqual(statuses, [200, 429, 429]);
    const r = await postJson(a.url, '/v1/chat/completions', await tokenFor(a.url, PAGE), chat, { origin: PAGE });
    assert.match(((await r.json()) as { error: { message: string } }).error.message, /from this address/);
  });

  test('without Redis each instance counts alone', async () => {
    const opts = { tokenSecret: SECRET, chatChunkDelayMs: 0, rateLimits: { perToken: { burst: 2, perMinute: 1 } } };
    const c = await start(opts);
    const d = await start(opts);
    try {
      const token = await tokenFor(c.url, PAGE);
      const statuses: number[] = [];
      for (const server of [c, c, d, d, c, d]) statuses.push((await postJson(server.url, '/v1/chat/completions', token, chat, { origin: PAGE })).status);
      assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429]);
    } finally {
      await c.close();
      await d.close();
    }
  });
});
