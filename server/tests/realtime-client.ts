// A plain `ws` client of the realtime endpoint for the protocol tests (not a test file itself).
import { after, before } from 'node:test';
import WebSocket from 'ws';
import { fliteWav, getToken, soxWav, start } from './helpers.ts';
import type { RunningServer, ServerOptions } from '../src/server.ts';
import { parseWav } from '../src/wav.ts';

export type ServerEvent = { type: string; [k: string]: any };

export interface Client {
  ws: WebSocket;
  events: ServerEvent[];
  closed: Promise<{ code: number; reason: string }>;
  send(event: Record<string, unknown>): void;
  /** The first event (after `from`, an index into events) of `type` that `pred` accepts. */
  next(type: string, pred?: (e: ServerEvent) => boolean, ms?: number, from?: number): Promise<ServerEvent>;
  close(): void;
}

export function connect(base: string, protocols: string[], headers: Record<string, string> = {}): Promise<Client> {
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/v1/realtime?model=reference`, protocols, { headers });
  const events: ServerEvent[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    events.push(JSON.parse(String(data)) as ServerEvent);
    for (const w of [...waiters]) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((ok) => ws.on('close', (code, reason) => ok({ code, reason: String(reason) })));
  const client: Client = {
    ws,
    events,
    closed,
    send: (event) => ws.send(JSON.stringify(event)),
    next: (type, pred = () => true, ms = 15000, from = 0) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const hit = events.slice(from).find((e) => e.type === type && pred(e));
          if (!hit) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${type} within ${ms} ms; saw ${events.map((e) => e.type).join(', ')}`));
        }, ms);
        waiters.add(check);
        check();
      }),
    close: () => ws.close(),
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('error', reject);
  });
}

/** Flite speech as the protocol's 24 kHz mono PCM16, with `padMs` of silence either side. */
export function speech24k(text: string, padMs = 200): Buffer {
  const pcm = parseWav(soxWav(fliteWav(text), 24000))!.data;
  const pad = Buffer.alloc(Math.round((24000 * padMs) / 1000) * 2);
  return Buffer.concat([pad, pcm, pad]);
}

/** Appends `pcm` in chunks of `chunkMs`, paced in real time when `realtime` is set. */
export async function appendAudio(c: Client, pcm: Buffer, chunkMs = 100, realtime = false): Promise<void> {
  const step = (24000 * 2 * chunkMs) / 1000;
  for (let at = 0; at < pcm.length; at += step) {
    c.send({ type: 'input_audio_buffer.append', audio: pcm.subarray(at, at + step).toString('base64') });
    if (realtime) await new Promise((ok) => setTimeout(ok, chunkMs));
  }
}

/** The subprotocols a browser offers: `realtime`, and the token as OpenAI's key credential. */
export const tokenProtocols = (token: string) => ['realtime', `openai-insecure-api-key.${token}`];

/**
 * For a describe block: a server started with `opts` (its recognisers ready) and a token, before
 * its tests; `open()` is a session after its session.created; all of it closed after the tests.
 */
export function realtimeServer(opts: ServerOptions) {
  const rt = {
    server: undefined as unknown as RunningServer,
    token: '',
    clients: [] as Client[],
    async open(): Promise<Client> {
      const c = await connect(rt.server.url, tokenProtocols(rt.token));
      rt.clients.push(c);
      await c.next('session.created');
      return c;
    },
  };
  before(async () => {
    rt.server = await start(opts);
    await rt.server.recogniserReady();
    rt.token = await getToken(rt.server.url);
  });
  after(async () => {
    for (const c of rt.clients) c.close();
    await rt.server.close();
  });
  return rt;
}
