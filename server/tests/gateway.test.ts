// The server as a gateway: each capability proxied to its own upstream with its own key (the page
// never sees a key), the provider's 429 Retry-After passed on, and the offline engine answering when
// the upstream fails. The upstream is a plain node http server following OpenAI's documented API
// (https://platform.openai.com/docs/api-reference/audio, .../chat): multipart transcriptions,
// speech bytes (mp3 by default), chat completions streamed as SSE.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, test } from 'node:test';
import { upstreamsFromEnv } from '../src/gateway/config.ts';
import type { RunningServer } from '../src/server.ts';
import { getToken, postJson, sseData, start, wavForm } from './helpers.ts';

const KEYS = { stt: 'sk-stt-only-on-the-server-1111', tts: 'sk-tts-only-on-the-server-2222', chat: 'sk-chat-only-on-the-server-3333' };
const QUESTION = readFileSync(new URL('../../tests/fixtures/question.wav', import.meta.url));
/** An MPEG audio frame header: what the fake answers for speech (OpenAI's default mp3). */
const MP3_BYTES = Buffer.from([0xff, 0xfb, 0x90, 0x64, ...new Array(412).fill(0)]);

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function fakeProvider() {
  const seen: Seen[] = [];
  let mode: 'ok' | 'fail' | 'rate-limited' = 'ok';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      seen.push({ url: req.url!, headers: req.headers, body });
      if (mode === 'fail') {
        res.writeHead(503, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: { message: 'The server is overloaded', type: 'server_error' } }));
      }
      if (mode === 'rate-limited') {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
        return res.end(JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }));
      }
      if (req.url === '/v1/audio/transcriptions') {
        const text = body.toString('latin1');
        const format = /name="response_format"\r\n\r\n(\w+)/.exec(text)?.[1] ?? 'json';
        if (format === 'text') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          return res.end('upstream heard you');
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ text: 'upstream heard you' }));
      }
      if (req.url === '/v1/audio/speech') {
        res.writeHead(200, { 'content-type': 'audio/mpeg' });
        return res.end(MP3_BYTES);
      }
      if (req.url === '/v1/chat/completions') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const word of ['From ', 'the ', 'upstream.']) {
          res.write(`data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: word }, finish_reason: null }] })}\n\n`);
        }
        return res.end('data: [DONE]\n\n');
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
    });
  });
  return {
    seen,
    setMode: (m: typeof mode) => (mode = m),
    listen: () => new Promise<string>((ok) => server.listen(0, '127.0.0.1', () => ok(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`))),
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

function assertNoKey(where: string, text: string): void {
  for (const key of Object.values(KEYS)) assert.ok(!text.includes(key), `${where} carries a key`);
}
const headerText = (r: Response) => JSON.stringify([...r.headers]);

describe('each capability proxied to its own upstream', () => {
  const provider = fakeProvider();
  let server: RunningServer;
  let token: string;
  before(async () => {
    const base = await provider.listen();
    server = await start({
      chatChunkDelayMs: 0,
      engineTimeoutMs: 60_000,
      upstreams: {
        stt: { baseUrl: base, apiKey: KEYS.stt, model: 'whisper-large-v3' },
        tts: { baseUrl: base, apiKey: KEYS.tts, model: 'tts-1', voice: 'nova' },
        chat: { baseUrl: base, apiKey: KEYS.chat, model: 'llama3.2' },
      },
    });
    await server.recogniserReady();
    token = await getToken(server.url);
  });
  after(async () => {
    await server.close();
    await provider.close();
  });
  beforeEach(() => {
    provider.seen.length = 0;
    provider.setMode('ok');
  });

  const transcribe = (fields: Record<string, string> = { language: 'en' }) =>
    fetch(`${server.url}/v1/audio/transcriptions`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: wavForm(QUESTION, fields) });

  test('transcriptions: the file and fields go upstream with the STT key and model; the page gets the answer', async () => {
    const r = await transcribe({ language: 'en', model: 'page-model', response_format: 'text' });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-engine'), 'upstream');
    const text = await r.text();
    assert.equal(text, 'upstream heard you');
    assertNoKey('response', text + headerText(r));
    const s = provider.seen[0]!;
    assert.equal(s.url, '/v1/audio/transcriptions');
    assert.equal(s.headers.authorization, `Bearer ${KEYS.stt}`);
    const form = s.body.toString('latin1');
    assert.match(form, /name="model"\r\n\r\nwhisper-large-v3\r\n/);
    assert.ok(!form.includes('page-model'), "the server's model replaces the page's");
    assert.match(form, /name="language"\r\n\r\nen\r\n/);
    assert.ok(s.body.includes(QUESTION.subarray(44, 4044)), 'the audio bytes arrive unchanged');
  });

  test('speech: JSON upstream with the TTS key, model and voice; the mp3 bytes come back as they are', async () => {
    const r = await postJson(server.url, '/v1/audio/speech', token, { input: 'Hello', voice: 'alloy' });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'audio/mpeg');
    assert.equal(r.headers.get('x-engine'), 'upstream');
    const bytes = Buffer.from(await r.arrayBuffer());
    assert.deepEqual(bytes, MP3_BYTES);
    assertNoKey('headers', headerText(r));
    const s = provider.seen[0]!;
    assert.equal(s.headers.authorization, `Bearer ${KEYS.tts}`);
    assert.deepEqual(JSON.parse(s.body.toString()), { input: 'Hello', voice: 'nova', model: 'tts-1', response_format: 'mp3' });
  });

  test('chat: streamed from the upstream with the chat key', async () => {
    const r = await postJson(server.url, '/v1/chat/completions', token, { messages: [{ role: 'user', content: 'hi' }], stream: true });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-engine'), 'upstream');
    const body = await r.text();
    assertNoKey('stream', body + headerText(r));
    const words = sseData(body).filter((d) => d !== '[DONE]').map((d) => JSON.parse(d).choices[0].delta.content).join('');
    assert.equal(words, 'From the upstream.');
    assert.equal(provider.seen[0]!.headers.authorization, `Bearer ${KEYS.chat}`);
    assert.equal(JSON.parse(provider.seen[0]!.body.toString()).model, 'llama3.2');
  });

  test("the provider's 429 reaches the page with its Retry-After and an OpenAI-style error", async () => {
    provider.setMode('rate-limited');
    for (const r of [await transcribe(), await postJson(server.url, '/v1/audio/speech', token, { input: 'Hello' }), await postJson(server.url, '/v1/chat/completions', token, { messages: [{ role: 'user', content: 'hi' }] })]) {
      assert.equal(r.status, 429);
      assert.equal(r.headers.get('retry-after'), '7');
      const err = (await r.json()) as { error: { message: string } };
      assert.equal(err.error.message, 'Rate limit reached');
    }
  });

  test('an upstream failing (503) -> the offline engine answers, X-Engine: offline', async () => {
    provider.setMode('fail');
    const stt = await transcribe();
    assert.equal(stt.status, 200);
    assert.equal(stt.headers.get('x-engine'), 'offline');
    const { text } = (await stt.json()) as { text: string };
    assert.notEqual(text, 'upstream heard you');
    assert.ok(text.split(' ').length >= 3, `pocketsphinx heard "${text}"`);

    const tts = await postJson(server.url, '/v1/audio/speech', token, { input: 'Hello', response_format: 'wav' });
    assert.equal(tts.status, 200);
    assert.equal(tts.headers.get('x-engine'), 'offline');
    assert.equal(tts.headers.get('x-voice'), 'kal16');
    assert.equal(Buffer.from(await tts.arrayBuffer()).toString('latin1', 0, 4), 'RIFF');

    const chat = await postJson(server.url, '/v1/chat/completions', token, { messages: [{ role: 'user', content: 'What are your opening hours?' }] });
    assert.equal(chat.status, 200);
    assert.equal(chat.headers.get('x-engine'), 'offline');
    assert.equal(chat.headers.get('x-responder'), 'demo-knowledge-responder');
    assert.equal(provider.seen.length, 3, 'each capability tried its upstream first');
  });
});

test('an unreachable upstream: offline answers by default; 502 with upstreamFallback false', async () => {
  const upstreams = { chat: { baseUrl: 'http://127.0.0.1:9/v1', apiKey: KEYS.chat } };
  const withFallback = await start({ upstreams, chatChunkDelayMs: 0 });
  const without = await start({ upstreams, upstreamFallback: false });
  try {
    const body = { messages: [{ role: 'user', content: 'hi' }] };
    const a = await postJson(withFallback.url, '/v1/chat/completions', await getToken(withFallback.url), body);
    assert.equal(a.status, 200);
    assert.equal(a.headers.get('x-engine'), 'offline');
    const b = await postJson(without.url, '/v1/chat/completions', await getToken(without.url), body);
    assert.equal(b.status, 502);
    const text = await b.text();
    assertNoKey('error', text);
    assert.equal(JSON.parse(text).error.type, 'upstream_error');
  } finally {
    await withFallback.close();
    await without.close();
  }
});

test('upstreamsFromEnv: per-capability settings over the shared ones; the shared key never goes to another URL', () => {
  const { upstreams, warnings } = upstreamsFromEnv({
    UPSTREAM_URL: 'https://api.openai.com/v1',
    UPSTREAM_KEY: 'sk-shared',
    UPSTREAM_MODEL: 'gpt-4o-mini',
    UPSTREAM_STT_MODEL: 'whisper-1',
    UPSTREAM_TTS_MODEL: 'tts-1',
    UPSTREAM_TTS_VOICE: 'alloy',
    UPSTREAM_CHAT_URL: 'http://127.0.0.1:11434/v1',
    UPSTREAM_CHAT_MODEL: 'llama3.2',
  });
  assert.deepEqual(upstreams, {
    stt: { baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-shared', model: 'whisper-1' },
    tts: { baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-shared', model: 'tts-1', voice: 'alloy' },
    chat: { baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.2' },
  });
  assert.deepEqual(warnings, []);
  const old = upstreamsFromEnv({ UPSTREAM_BASE_URL: 'https://x.example/v1', UPSTREAM_API_KEY: 'k', UPSTREAM_MODEL: 'm' });
  assert.deepEqual(old.upstreams.chat, { baseUrl: 'https://x.example/v1', apiKey: 'k', model: 'm' }, 'the names from before the gateway still work');
  assert.deepEqual(upstreamsFromEnv({}).upstreams, {});
  assert.equal(upstreamsFromEnv({ UPSTREAM_STT_URL: 'not a url' }).warnings.length, 1);
});
