// GET /v1/realtime as a WebSocket (the `ws` library). The credential is checked before anything
// else; a refused one still completes the handshake, so a browser (which learns nothing from a
// refused upgrade but a bare 1006) gets an `error` event naming the problem and the close code
// 1008 with the error code as its reason.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { AppContext } from '../context.ts';
import { authenticateRealtime } from './auth.ts';
import { relayRealtime } from './relay.ts';
import { RealtimeSession, type RealtimeLimits } from './session.ts';
import { count, newRealtimeStats, type RealtimeStats } from './stats.ts';

export const REALTIME_PATH = '/v1/realtime';

export interface RealtimeEndpoint {
  stats: RealtimeStats;
  close(): void;
}

export function attachRealtime(server: Server, app: AppContext, limits: Partial<RealtimeLimits> = {}): RealtimeEndpoint {
  const full: RealtimeLimits = { maxAppendBytes: 1024 * 1024, maxBufferBytes: 24000 * 2 * 60, ...limits };
  const stats = newRealtimeStats();
  const wss = new WebSocketServer({
    noServer: true,
    // A frame may carry an oversized append (base64 = 4/3 of the audio): big enough that the
    // session answers it with an `error` event instead of the socket closing with 1009.
    maxPayload: Math.ceil(full.maxAppendBytes * 4) + 64 * 1024,
    // The key subprotocol is never echoed back: "realtime" is chosen when offered.
    handleProtocols: (protocols) => (protocols.has('realtime') ? 'realtime' : false),
  });

  const onUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== REALTIME_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    // Checked before the handshake completes, so no client event can arrive before the session listens.
    const auth = await authenticateRealtime(req, app);
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (!auth.ok) {
        count(stats.refused, auth.code);
        ws.send(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', code: auth.code, message: auth.message, param: null, event_id: null } }));
        ws.close(1008, auth.code);
        return;
      }
      stats.sessions++;
      stats.open++;
      ws.on('close', () => stats.open--);
      ws.on('error', () => undefined); // a broken socket ends in 'close'
      const offline = () => new RealtimeSession(ws, app, stats, full);
      const up = app.upstreams.realtime;
      if (!up) return void offline();
      const pageModel = new URL(req.url ?? '/', 'http://x').searchParams.get('model');
      relayRealtime(ws, up, pageModel, {
        relayed: () => stats.relayed++,
        unreachable: (reason, held) => {
          app.log(`realtime upstream unreachable: ${reason}${app.upstreamFallback ? '; the offline session answers' : ''}`);
          app.upstreamFailed?.(REALTIME_PATH);
          if (!app.upstreamFallback) {
            ws.send(JSON.stringify({ type: 'error', error: { type: 'server_error', code: 'upstream_unavailable', message: `The realtime provider could not be reached: ${reason}.`, param: null, event_id: null } }));
            return ws.close(1011, 'upstream_unavailable');
          }
          offline();
          // What the page sent meanwhile, in order, as if it arrived now.
          for (const data of held) ws.emit('message', data, false);
        },
      });
    });
  };
  server.on('upgrade', onUpgrade);
  return {
    stats,
    close() {
      server.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
