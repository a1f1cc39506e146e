// The gateway for transport `realtime`: when UPSTREAM_REALTIME_URL is set (e.g. OpenAI's
// wss://api.openai.com/v1/realtime), an authenticated page's socket is relayed to that provider,
// which the server opens with the key in its Authorization header (server-side WebSocket, as
// https://platform.openai.com/docs/guides/realtime-websocket describes), so the key never reaches
// the page. Events pass both ways unchanged (the page speaks the same protocol subset). What the
// page sends before the upstream is open is held and then sent in order. When the upstream cannot
// be reached, the offline session takes over with what was held (fallback on), or the page gets
// an `error` event and close 1011.
import WebSocket, { type RawData } from 'ws';
import type { UpstreamConfig } from '../gateway/config.ts';

export interface RelayOutcome {
  /** The upstream opened: the socket is relayed. */
  relayed(): void;
  /** It could not be reached: `held` is what the page sent meanwhile (in order). */
  unreachable(reason: string, held: RawData[]): void;
}

/** Close codes that may be sent on (1005, 1006 and 1015 are only ever reported, never sent). */
const sendable = (code: number) => (code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code)) || (code >= 3000 && code <= 4999);

export function upstreamRealtimeUrl(up: UpstreamConfig, pageModel: string | null): string {
  const url = new URL(up.baseUrl.replace(/^http/, 'ws'));
  const model = up.model ?? pageModel;
  if (model) url.searchParams.set('model', model);
  return url.href;
}

export function relayRealtime(page: WebSocket, up: UpstreamConfig, pageModel: string | null, outcome: RelayOutcome): void {
  const held: RawData[] = [];
  let open = false;
  let settled = false;
  const upstream = new WebSocket(upstreamRealtimeUrl(up, pageModel), {
    headers: up.apiKey ? { Authorization: `Bearer ${up.apiKey}` } : {},
    handshakeTimeout: up.timeoutMs ?? 10_000,
    maxPayload: 64 * 1024 * 1024,
  });
  const fromPage = (data: RawData, isBinary: boolean) => {
    if (open) upstream.send(data, { binary: isBinary });
    else held.push(data);
  };
  page.on('message', fromPage);
  const fail = (reason: string) => {
    if (settled) return;
    settled = true;
    page.off('message', fromPage);
    upstream.removeAllListeners();
    upstream.on('error', () => undefined);
    upstream.terminate();
    if (page.readyState === page.OPEN) outcome.unreachable(reason, held);
  };
  upstream.on('unexpected-response', (_req, res) => fail(`the upstream answered HTTP ${res.statusCode}`));
  upstream.on('error', (e) => (open ? page.close(1011, 'upstream_error') : fail(e.message)));
  upstream.on('open', () => {
    if (settled) return upstream.close();
    settled = open = true;
    for (const data of held.splice(0)) upstream.send(data, { binary: false });
    outcome.relayed();
  });
  upstream.on('message', (data, isBinary) => {
    if (page.readyState === page.OPEN) page.send(data, { binary: isBinary });
  });
  upstream.on('close', (code, reason) => {
    if (!open) return fail(`the upstream closed (${code})`);
    if (page.readyState === page.OPEN) page.close(sendable(code) ? code : 1011, String(reason).slice(0, 120));
  });
  page.on('close', () => {
    if (open) upstream.close();
    else fail('the page went away');
  });
}
