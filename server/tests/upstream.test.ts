import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { RunningServer } from '../src/server.ts';
import { getToken, postJson, sseData, start } from './helpers.ts';

const KEY = 'sk-test-server-only-4f9c2a';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** A tiny OpenAI-compatible upstream whose behaviour each test sets. */
function fakeUpstream() {
  const seen: Seen[] = [];
  let mode: 'sse' | 'json' | 'unauthorized' | 'leaky-error' = 'sse';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString()) });
      if (mode === 'unauthorized') {
        res.writeHead(401, { 'content-type': 'application/json', 'set-cookie': 'upstream=1' });
        res.end(JSON.stringify({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } }));
      } else if (mode === 'leaky-error') {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `bad request for key ${KEY}`, type: 'invalid_request_error' } }));
      } else if (mode === 'json') {
        res.writeHead(200, { 'content-type': 'application/json', 'x-upstream-secret-header': KEY });
        res.end(JSON.stringify({ object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'From upstream.' }, finish_reason: 'stop' }] }));
      } else {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'x-upstream-secret-header': KEY });
        for (const word of ['Hello ', 'from ', 'the ', 'upstream.']) {
          res.write(`data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: word }, finish_reason: null }] })}\n\n`);
          await new Promise((r) => setTimeout(r, 15));
        }
        res.end('data: [DONE]\n\n');
      }
    });
  });
  return {
    seen,
    setMode: (m: typeof mode) => (mode = m),
    listen: () => new Promise<string>((ok) => server.listen(0, '127.0.0.1', () => ok(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`))),
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

describe('chat proxied to an upstream provider', () => {
  const upstream = fakeUpstream();
  let server: RunningServer;
  let token: string;
  before(async () => {
    const baseUrl = await upstream.listen();
    // Without the offline fallback (gateway.test.ts covers it): the upstream's failures reach the page.
    server = await start({ upstream: { baseUrl: `${baseUrl}/`, apiKey: KEY, model: 'upstream-default-model' }, upstreamFallback: false });
    token = await getToken(server.url);
  });
  after(async () => {
    await server.close();
    await upstream.close();
  });
  beforeEach(() => {
    upstream.seen.length = 0;
    upstream.setMode('sse');
  });

  test("the upstream gets the server's key, the client gets the stream and never the key", async () => {
    const r = await postJson(server.url, '/v1/chat/completions', token, {
      model: 'gpt-test',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/event-stream/);
    const text = await r.text();
    const data = sseData(text);
    assert.equal(data.at(-1), '[DONE]');
    const content = data.slice(0, -1).map((d) => JSON.parse(d).choices[0].delta.content).join('');
    assert.equal(content, 'Hello from the upstream.');

    assert.equal(upstream.seen.length, 1);
    const seen = upstream.seen[0]!;
    assert.equal(seen.method, 'POST');
    assert.equal(seen.url, '/v1/chat/completions');
    assert.equal(seen.headers.authorization, `Bearer ${KEY}`);
    assert.ok(!JSON.stringify(seen).includes(token), 'the page token is not forwarded');
    // The server's configured model replaces the page's: the key's owner decides what is spent.
    assert.deepEqual(seen.body, { model: 'upstream-default-model', stream: true, messages: [{ role: 'user', content: 'hi' }] });

    const clientSaw = text + JSON.stringify([...r.headers]);
    assert.ok(!clientSaw.includes(KEY), 'the key never reaches the client');
    assert.equal(r.headers.get('x-upstream-secret-header'), null);
  });

  test('non-streaming requests are proxied as JSON; a missing model gets the configured default', async () => {
    upstream.setMode('json');
    const r = await postJson(server.url, '/v1/chat/completions', token, { messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(r.status, 200);
    const body = (await r.json()) as { choices: { message: { content: string } }[] };
    assert.equal(body.choices[0]!.message.content, 'From upstream.');
    assert.equal(upstream.seen[0]!.body.model, 'upstream-default-model');
  });

  test("an upstream refusing the server's key is a 502 for the client, not a 401", async () => {
    upstream.setMode('unauthorized');
    const r = await postJson(server.url, '/v1/chat/completions', token, { messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(r.status, 502);
    assert.equal(r.headers.get('set-cookie'), null);
    const err = (await r.json()) as { error: { type: string; message: string } };
    assert.equal(err.error.type, 'upstream_error');
    assert.ok(!err.error.message.includes(KEY));
  });

  test('upstream errors pass through with the key redacted', async () => {
    upstream.setMode('leaky-error');
    const r = await postJson(server.url, '/v1/chat/completions', token, { messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(r.status, 400);
    const text = await r.text();
    assert.ok(!text.includes(KEY));
    assert.match(text, /\[redacted\]/);
  });

  test('the proxy still requires a page token', async () => {
    const r = await postJson(server.url, '/v1/chat/completions', null, { messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(r.status, 401);
    assert.equal(upstream.seen.length, 0);
  });
});

test('an unreachable upstream -> 502 JSON', async () => {
  const server = await start({ upstream: { baseUrl: 'http://127.0.0.1:9/v1', apiKey: KEY }, upstreamFallback: false });
  try {
    const token = await getToken(server.url);
    const r = await postJson(server.url, '/v1/chat/completions', token, { messages: [{ role: 'user', content: 'hi' }], stream: true });
    assert.equal(r.status, 502);
    const err = (await r.json()) as { error: { type: string; message: string } };
    assert.equal(err.error.type, 'upstream_error');
    assert.ok(!err.error.message.includes(KEY));
  } finally {
    await server.close();
  }
});
