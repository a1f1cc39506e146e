import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearerToken, createToken, signPayload, verifyToken } from '../src/tokens.ts';
import { getToken, postJson, start } from './helpers.ts';
import type { RunningServer } from '../src/server.ts';

const SECRET = 'test-secret-for-tokens';
const chat = { messages: [{ role: 'user', content: 'hello' }], stream: false };

describe('tokens (unit)', () => {
  test('a fresh token verifies and carries its expiry', () => {
    const now = 1_800_000_000_000;
    const t = createToken(SECRET, 300, now);
    const check = verifyToken(SECRET, t, now + 1000);
    assert.equal(check.ok, true);
    assert.equal(check.ok && check.payload.exp, now + 300_000);
    assert.match(t, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'base64url payload and signature');
  });

  test('expired, tampered, foreign and malformed tokens are refused', () => {
    const now = 1_800_000_000_000;
    const t = createToken(SECRET, 300, now);
    assert.deepEqual(verifyToken(SECRET, t, now + 300_000), { ok: false, reason: 'token expired' });
    const [body, sig] = t.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    const longer = Buffer.from(JSON.stringify({ ...payload, exp: payload.exp + 1e9 })).toString('base64url');
    assert.deepEqual(verifyToken(SECRET, `${longer}.${sig}`, now), { ok: false, reason: 'bad signature' });
    const flipped = sig.slice(0, -2) + (sig.at(-2) === 'A' ? 'B' : 'A') + sig.at(-1);
    assert.deepEqual(verifyToken(SECRET, `${body}.${flipped}`, now), { ok: false, reason: 'bad signature' });
    assert.deepEqual(verifyToken('another-secret', t, now), { ok: false, reason: 'bad signature' });
    assert.equal(verifyToken(SECRET, `${body}.${sig}!`, now).ok, false, 'junk after a valid signature');
    assert.equal(verifyToken(SECRET, `${body}.${sig.slice(0, 10)}*${sig.slice(10)}`, now).ok, false, 'junk inside');
    for (const bad of ['', 'abc', 'a.b.c', '.x', `${body}.`]) assert.equal(verifyToken(SECRET, bad, now).ok, false, bad);
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
      assert.equal(verifyToken(SECRET, body.token).ok, true);
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
    const [body, sig] = good.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    const tampered = `${Buffer.from(JSON.stringify({ ...payload, exp: payload.exp + 3_600_000 })).toString('base64url')}.${sig}`;
    const expired = signPayload(SECRET, { v: 1, iat: Date.now() - 600_000, exp: Date.now() - 1000, jti: 'x' });
    const foreign = createToken('not-the-server-secret', 300);
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
    await new Promise((r) => setTimeout(r, 1100));
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
