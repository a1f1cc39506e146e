import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearerToken, createToken, signPayload, verifyToken } from '../src/tokens/jwt.ts';
import { getToken, postJson, start } from './helpers.ts';
import type { RunningServer } from '../src/server.ts';

const SECRET = 'test-secret-for-tokens';
const chat = { messages: [{ role: 'user', content: 'hello' }], stream: false };

describe('tokens (unit)', () => {
  const ORIGIN = 'https://shop.example';
  test('a fresh token is a JWT (HS256) that verifies and carries origin, jti and expiry', async () => {
    const now = 1_800_000_000_000;
    const t = await createToken(SECRET, 300, ORIGIN, now);
    assert.match(t, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'three base64url parts');
    assert.deepEqual(JSON.parse(Buffer.from(t.split('.')[0]!, 'base64url').toString()), { alg: 'HS256', typ: 'JWT' });
    const check = await verifyToken(SECRET, t, now + 1000);
    assert.equal(check.ok, true);
    assert.ok(check.ok);
    assert.equal(check.payload.exp, 1_800_000_300);
    assert.equal(check.payload.origin, ORIGIN);
    assert.match(check.payload.jti, /^[A-Za-z0-9_-]{16}$/);
    const other = await verifyToken(SECRET, await createToken(SECRET, 300, ORIGIN, now), now);
    assert.ok(other.ok && other.payload.jti !== check.payload.jti, 'every token has its own jti');
  });

  test('expired, tampered, foreign, unsigned and malformed tokens are refused', async () => {
    const now = 1_800_000_000_000;
    const t = await createToken(SECRET, 300, ORIGIN, now);
    assert.deepEqual(await verifyToken(SECRET, t, now + 300_000), { ok: false, reason: 'token expired' });
    const [head, body, sig] = t.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    const longer = Buffer.from(JSON.stringify({ ...payload, exp: payload.exp + 1e6 })).toString('base64url');
    assert.deepEqual(await verifyToken(SECRET, `${head}.${longer}.${sig}`, now), { ok: false, reason: 'bad signature' });
    const otherOrigin = Buffer.from(JSON.stringify({ ...payload, origin: 'https://evil.example' })).toString('base64url');
    assert.deepEqual(await verifyToken(SECRET, `${head}.${otherOrigin}.${sig}`, now), { ok: false, reason: 'bad signature' });
    assert.deepEqual(await verifyToken('another-secret', t, now), { ok: false, reason: 'bad signature' });
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    assert.equal((await verifyToken(SECRET, `${none}.${body}.`, now)).ok, false, 'alg none');
    for (const bad of ['', 'abc', 'a.b', 'a.b.c', `${head}.${body}.`, `${t}x`]) assert.equal((await verifyToken(SECRET, bad, now)).ok, false, bad);
  });

  test('bearerToken parses the Authorization header', () => {
    assert.equal(bearerToken('Bearer abc.def'), 'abc.def');
    assert.equal(bearerToken('bearer  abc'), 'abc');
    assert.equal(bearerToken('Basic abc'), null);
    assert.equal(bearerToken('Bearer'), null);
    assert.equal(bearerToken(undefined), null);
  });
});

describe('tokens (HTTP)', () => {
  let server: RunningServer;
  before(async () => {
    server = await start({ tokenSecret: SECRET, chatChunkDelayMs: 0, tokenRateLimit: { burst: 5, perMinute: 6 } });
  });
  after(() => server.close());

  test('GET and POST /token return {token, expires_in: 300}, not cacheable', async () => {
    for (const method of ['GET', 'POST']) {
      const r = await fetch(`${server.url}/token`, { method });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('cache-control'), 'no-store');
      const body = (await r.json()) as { token: string; expires_in: number };
      assert.equal(body.expires_in, 300);
      const check = await verifyToken(SECRET, body.token);
      assert.ok(check.ok);
      assert.equal(check.payload.origin, new URL(server.url).origin, 'a request without Origin: the server\'s own');
    }
  });

  test('a valid token opens /v1', async () => {
    const token = await getToken(server.url);
    const r = await postJson(server.url, '/v1/chat/completions', token, chat);
    assert.equal(r.status, 200);
    const body = (await r.json()) as { choices: { message: { content: string } }[] };
    assert.match(body.choices[0]!.message.content, /Hello/);
  });

  test('missing, garbage, tampered, foreign and expired tokens get 401 invalid_token', async () => {
    const good = await getToken(server.url);
    const [head, body, sig] = good.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    const tampered = `${head}.${Buffer.from(JSON.stringify({ ...payload, exp: payload.exp + 3600 })).toString('base64url')}.${sig}`;
    const nowS = Math.floor(Date.now() / 1000);
    const origin = new URL(server.url).origin;
    const expired = await signPayload(SECRET, { origin, iat: nowS - 600, exp: nowS - 1, jti: 'x' });
    const foreign = await createToken('not-the-server-secret', 300, origin);
    const cases: [string | null, string][] = [
      [null, 'token_missing'],
      ['garbage', 'token_invalid'],
      [tampered, 'token_invalid'],
      [foreign, 'token_invalid'],
      [expired, 'token_expired'],
    ];
    for (const [token, code] of cases) {
      for (const path of ['/v1/chat/completions', '/v1/audio/speech', '/v1/audio/transcriptions']) {
        const r = await postJson(server.url, path, token, chat);
        assert.equal(r.status, 401, `${path} ${code}`);
        assert.equal(r.headers.get('www-authenticate'), 'Bearer');
        const err = (await r.json()) as { error: { message: string; type: string; code: string } };
        assert.equal(err.error.type, 'invalid_token');
        assert.equal(err.error.code, code);
        assert.ok(err.error.message.length > 0);
      }
    }
  });

  test('the token endpoint is rate limited per IP (429 with Retry-After)', async () => {
    // Earlier tests in this file used some of the burst of 5; drain the rest.
    let status = 200;
    let response: Response | undefined;
    for (let i = 0; i < 10 && status === 200; i++) {
      response = await fetch(`${server.url}/token`);
      status = response.status;
      if (status === 200) await response.body?.cancel();
    }
    assert.equal(status, 429);
    assert.ok(Number(response!.headers.get('retry-after')) >= 1);
    const err = (await response!.json()) as { error: { type: string } };
    assert.equal(err.error.type, 'rate_limit_exceeded');
  });
});

test('a token really expires after tokenTtlS', async () => {
  const server = await start({ tokenTtlS: 1 });
  try {
    const r0 = await fetch(`${server.url}/token`);
    const { token, expires_in } = (await r0.json()) as { token: string; expires_in: number };
    assert.equal(expires_in, 1);
    assert.equal((await postJson(server.url, '/v1/chat/completions', token, chat)).status, 200);
    // JWT expiry is in whole seconds, rounded up: a 1 s token is dead within 2 s.
    await new Promise((r) => setTimeout(r, 2100));
    const r = await postJson(server.url, '/v1/chat/completions', token, chat);
    assert.equal(r.status, 401);
    assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'token_expired');
  } finally {
    await server.close();
  }
});

test('without tokenSecret every start gets its own random secret', async () => {
  const a = await start();
  const b = await start();
  try {
    const token = await getToken(a.url);
    assert.equal((await postJson(a.url, '/v1/chat/completions', token, chat)).status, 200);
    assert.equal((await postJson(b.url, '/v1/chat/completions', token, chat)).status, 401);
  } finally {
    await a.close();
    await b.close();
  }
});
