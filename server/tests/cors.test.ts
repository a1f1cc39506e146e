import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningServer } from '../src/server.ts';
import { getToken, start } from './helpers.ts';

const ALLOWED = 'https://shop.example';
const OTHER = 'https://evil.example';

describe('CORS', () => {
  let server: RunningServer;
  before(async () => {
    server = await start({ allowedOrigins: [`${ALLOWED}/`, 'http://localhost:5173'] });
  });
  after(() => server.close());

  const preflight = (origin: string, path = '/v1/audio/speech') =>
    fetch(`${server.url}${path}`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });

  test('an allowed origin passes the preflight with Authorization and Content-Type', async () => {
    for (const path of ['/v1/audio/speech', '/v1/audio/transcriptions', '/v1/chat/completions', '/token']) {
      const r = await preflight(ALLOWED, path);
      assert.equal(r.status, 204, path);
      assert.equal(r.headers.get('access-control-allow-origin'), ALLOWED);
      assert.match(r.headers.get('vary') ?? '', /Origin/);
      const allowHeaders = (r.headers.get('access-control-allow-headers') ?? '').toLowerCase();
      assert.ok(allowHeaders.includes('authorization') && allowHeaders.includes('content-type'), allowHeaders);
      assert.match(r.headers.get('access-control-allow-methods') ?? '', /POST/);
    }
  });

  test('an allowed origin gets its origin echoed on real responses, errors included', async () => {
    const tokenR = await fetch(`${server.url}/token`, { method: 'POST', headers: { origin: ALLOWED } });
    assert.equal(tokenR.status, 200);
    assert.equal(tokenR.headers.get('access-control-allow-origin'), ALLOWED);
    assert.equal(tokenR.headers.get('access-control-allow-credentials'), 'true', 'a cross-origin token fetch with cookies is readable');
    assert.match(tokenR.headers.get('vary') ?? '', /Origin/);
    const { token } = (await tokenR.json()) as { token: string };
    const ok = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { origin: ALLOWED, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hello' }] }),
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), ALLOWED);
    const unauthorized = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { origin: ALLOWED } });
    assert.equal(unauthorized.status, 401);
    assert.equal(unauthorized.headers.get('access-control-allow-origin'), ALLOWED, 'the page can read the 401');
    const local = await fetch(`${server.url}/token`, { headers: { origin: 'http://localhost:5173' } });
    assert.equal(local.headers.get('access-control-allow-origin'), 'http://localhost:5173');
  });

  test('another origin gets no CORS headers, and 403 on preflight', async () => {
    const pre = await preflight(OTHER);
    assert.equal(pre.status, 403);
    assert.equal(pre.headers.get('access-control-allow-origin'), null);
    assert.equal(pre.headers.get('access-control-allow-headers'), null);
    const err = (await pre.json()) as { error: { type: string; code: string } };
    assert.equal(err.error.code, 'origin_not_allowed');
    const r = await fetch(`${server.url}/token`, { headers: { origin: OTHER } });
    assert.equal(r.headers.get('access-control-allow-origin'), null);
    // Near misses are not allowed either.
    for (const origin of ['http://shop.example', 'https://shop.example.evil.example', 'https://sub.shop.example', 'null']) {
      const p = await preflight(origin);
      assert.equal(p.status, 403, origin);
      assert.equal(p.headers.get('access-control-allow-origin'), null, origin);
    }
  });

  test('requests without Origin get no CORS headers', async () => {
    const token = await getToken(server.url);
    assert.ok(token);
    const r = await fetch(`${server.url}/token`);
    assert.equal(r.headers.get('access-control-allow-origin'), null);
  });
});

test('with no allowedOrigins nothing cross-origin is allowed', async () => {
  const server = await start();
  try {
    const r = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: ALLOWED, 'access-control-request-method': 'POST' },
    });
    assert.equal(r.status, 403);
    assert.equal(r.headers.get('access-control-allow-origin'), null);
  } finally {
    await server.close();
  }
});
