// The realtime gateway: with UPSTREAM_REALTIME_URL the page's socket is relayed to the provider
// with the key server-side. The upstream here is a stand-in that follows OpenAI's Realtime API
// documentation for a server-side WebSocket client: the key as "Authorization: Bearer" and the
// model as the `model` query parameter (https://platform.openai.com/docs/guides/realtime-websocket),
// `session.created` first, then the server events of the API reference for the client events it
// gets (https://platform.openai.com/docs/api-reference/realtime-server-events).
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { WebSocketServer, type WebSocket } from 'ws';
import { upstreamsFromEnv } from '../src/gateway/config.ts';
import type { RunningServer } from '../src/server.ts';
import { getToken, start } from './helpers.ts';
import { connect, tokenProtocols, type Client } from './realtime-client.ts';

const KEY = 'sk-relay-test-key-never-in-the-page';

interface Upstream {
  url: string;
  seen: { auth?: string; model: string | null; events: string[]; closed: boolean }[];
  close(): Promise<void>;
}

/** The stand-in provider; `acceptAfterMs` delays the handshake (the page's first events are held meanwhile). */
async function upstream(o: { acceptAfterMs?: number; closeWith?: number } = {}): Promise<Upstream> {
  const http = createServer((_q, s) => s.writeHead(426).end());
  const wss = new WebSocketServer({
    server: http,
    path: '/v1/realtime',
    verifyClient: (info: { req: IncomingMessage }, done: (ok: boolean, code?: number) => void) => {
      const ok = info.req.headers.authorization === `Bearer ${KEY}`;
      setTimeout(() => done(ok, ok ? undefined : 401), o.acceptAfterMs ?? 0);
    },
  });
  const seen: Upstream['seen'] = [];
  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const s = { auth: req.headers.authorization, model: new URL(req.url!, 'http://x').searchParams.get('model'), events: [] as string[], closed: false };
    seen.push(s);
    const send = (e: Record<string, unknown>) => ws.send(JSON.stringify({ event_id: `event_${Math.random().toString(36).slice(2)}`, ...e }));
    ws.on('close', () => (s.closed = true));
    send({ type: 'session.created', session: { type: 'realtime', id: 'sess_upstream', model: s.model } });
    ws.on('message', (data) => {
      const e = JSON.parse(String(data));
      s.events.push(e.type);
      if (e.type === 'session.update') send({ type: 'session.updated', session: { type: 'realtime', id: 'sess_upstream', model: s.model, instructions: e.session?.instructions } });
      if (e.type === 'input_audio_buffer.commit') send({ type: 'input_audio_buffer.committed', item_id: 'item_1', previous_item_id: null });
      if (e.type === 'response.create') {
        send({ type: 'response.created', response: { id: 'resp_1', status: 'in_progress' } });
        for (const delta of ['We are open ', 'from nine.']) send({ type: 'response.output_text.delta', response_id: 'resp_1', item_id: 'item_2', output_index: 0, content_index: 0, delta });
        send({ type: 'response.done', response: { id: 'resp_1', status: 'completed' } });
        if (o.closeWith) ws.close(o.closeWith, 'upstream says bye');
      }
    });
  });
  await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok));
  return {
    url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/v1/realtime`,
    seen,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise((ok) => wss.close(ok));
      await new Promise((ok) => http.close(ok));
    },
  };
}

const until = async (ok: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return ok();
};

describe('/v1/realtime relayed to UPSTREAM_REALTIME_URL', () => {
  const cleanup: (() => Promise<unknown> | void)[] = [];
  after(async () => {
    for (const c of cleanup.reverse()) await c();
  });
  const serve = async (up: string, o: { model?: string; fallback?: boolean } = {}) => {
    const server: RunningServer = await start({ upstreams: { realtime: { baseUrl: up, apiKey: KEY, ...(o.model ? { model: o.model } : {}) } }, upstreamFallback: o.fallback ?? true });
    cleanup.push(() => server.close());
    return { server, token: await getToken(server.url) };
  };
  const open = async (server: RunningServer, token: string): Promise<Client> => {
    const c = await connect(server.url, tokenProtocols(token));
    cleanup.push(() => c.close());
    return c;
  };

  test('events pass both ways; the key goes upstream as Authorization, never to the page; the model is the server\'s', async () => {
    const up = await upstream();
    cleanup.push(() => up.close());
    const { server, token } = await serve(up.url, { model: 'gpt-realtime' });
    const c = await open(server, token);
    const created = await c.next('session.created');
    assert.equal(created.session.id, 'sess_upstream', 'the provider\'s session, not the offline one');
    c.send({ type: 'session.update', session: { type: 'realtime', instructions: 'Be brief.' } });
    assert.equal((await c.next('session.updated')).session.instructions, 'Be brief.');
    c.send({ type: 'input_audio_buffer.append', audio: Buffer.alloc(4800).toString('base64') });
    c.send({ type: 'input_audio_buffer.commit' });
    c.send({ type: 'response.create' });
    await c.next('response.done');
    assert.equal(c.events.filter((e) => e.type === 'response.output_text.delta').map((e) => e.delta).join(''), 'We are open from nine.');
    assert.deepEqual(up.seen.map((s) => [s.auth, s.model]), [[`Bearer ${KEY}`, 'gpt-realtime']]);
    assert.deepEqual(up.seen[0]!.events, ['session.update', 'input_audio_buffer.append', 'input_audio_buffer.commit', 'response.create']);
    assert.ok(!JSON.stringify(c.events).includes(KEY), 'no event the page got holds the key');
    assert.equal(server.realtimeStats().relayed, 1);
    c.close();
    assert.ok(await until(() => up.seen[0]!.closed), 'the upstream socket closes with the page\'s');
    assert.ok(await until(() => server.realtimeStats().open === 0));
  });

  test('what the page sends before the upstream is open is held and sent in order', async () => {
    const up = await upstream({ acceptAfterMs: 400 });
    cleanup.push(() => up.close());
    const { server, token } = await serve(up.url);
    const c = await open(server, token);
    c.send({ type: 'session.update', session: { type: 'realtime', instructions: 'first' } });
    c.send({ type: 'input_audio_buffer.append', audio: Buffer.alloc(480).toString('base64') });
    await c.next('session.updated');
    assert.deepEqual(up.seen[0]!.events.slice(0, 2), ['session.update', 'input_audio_buffer.append']);
    assert.equal(up.seen[0]!.model, 'reference', 'without UPSTREAM_REALTIME_MODEL, the page\'s model is passed on');
  });

  test('an upstream close code reaches the page', async () => {
    const up = await upstream({ closeWith: 4000 });
    cleanup.push(() => up.close());
    const { server, token } = await serve(up.url);
    const c = await open(server, token);
    c.send({ type: 'response.create' });
    assert.equal((await c.closed).code, 4000);
  });

  test('an unreachable upstream: the offline session answers, with what the page sent meanwhile; without fallback, error upstream_unavailable and 1011', async () => {
    const gone = await upstream();
    const url = gone.url;
    await gone.close(); // nothing listens there now
    const { server, token } = await serve(url);
    const c = await open(server, token);
    c.send({ type: 'session.update', session: { type: 'realtime', instructions: 'held' } });
    const created = await c.next('session.created');
    assert.equal(created.session.model, 'reference-offline');
    assert.equal((await c.next('session.updated')).session.instructions, 'held');
    assert.equal(server.realtimeStats().relayed, 0);

    const strict = await serve(url, { fallback: false });
    const d = await open(strict.server, strict.token);
    const error = await d.next('error');
    assert.equal(error.error.code, 'upstream_unavailable');
    assert.deepEqual(await d.closed, { code: 1011, reason: 'upstream_unavailable' });
  });

  test('a refused key upstream is an unreachable upstream (HTTP 401), the offline session answers', async () => {
    const up = await upstream();
    cleanup.push(() => up.close());
    const server: RunningServer = await start({ upstreams: { realtime: { baseUrl: up.url, apiKey: 'sk-wrong' } } });
    cleanup.push(() => server.close());
    const c = await open(server, await getToken(server.url));
    assert.equal((await c.next('session.created')).session.model, 'reference-offline');
    assert.deepEqual(up.seen, []);
  });

  test('UPSTREAM_REALTIME_*: own key, or the shared key only for the same provider', () => {
    const own = upstreamsFromEnv({ UPSTREAM_REALTIME_URL: 'wss://api.openai.com/v1/realtime', UPSTREAM_REALTIME_KEY: 'k1', UPSTREAM_REALTIME_MODEL: 'gpt-realtime' });
    assert.deepEqual(own.upstreams.realtime, { baseUrl: 'wss://api.openai.com/v1/realtime', apiKey: 'k1', model: 'gpt-realtime' });
    const shared = upstreamsFromEnv({ UPSTREAM_URL: 'https://api.openai.com/v1', UPSTREAM_KEY: 'k2', UPSTREAM_REALTIME_URL: 'wss://api.openai.com/v1/realtime' });
    assert.equal(shared.upstreams.realtime!.apiKey, 'k2');
    const other = upstreamsFromEnv({ UPSTREAM_URL: 'https://api.openai.com/v1', UPSTREAM_KEY: 'k2', UPSTREAM_REALTIME_URL: 'wss://realtime.example/v1/realtime' });
    assert.equal(other.upstreams.realtime!.apiKey, undefined, 'the shared key never goes to another host');
    const bad = upstreamsFromEnv({ UPSTREAM_REALTIME_URL: 'not a url' });
    assert.equal(bad.upstreams.realtime, undefined);
    assert.match(bad.warnings.join(' '), /UPSTREAM_REALTIME_URL "not a url" is not a URL/);
    assert.match(upstreamsFromEnv({ UPSTREAM_REALTIME_KEY: 'k' }).warnings.join(' '), /UPSTREAM_REALTIME_KEY is set without UPSTREAM_REALTIME_URL/);
  });
});
