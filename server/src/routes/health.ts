// GET /healthz -> which engines are usable, each engine's readiness, and where each capability is answered (no secrets).
import type { RequestContext } from '../context.ts';
import { sendJson } from '../errors.ts';
import { installedVoices } from '../engines/flite.ts';
import { engineReadiness } from '../metrics/engine-readiness.ts';

export async function healthRoute({ res, app, signal }: RequestContext): Promise<void> {
  const voices = await installedVoices(app.engines, signal).then(
    (v) => [...v],
    () => null,
  );
  sendJson(res, 200, {
    ok: true,
    tts: voices ? { engine: 'flite', voices } : null,
    chat: app.upstreams.chat ? 'upstream' : 'demo-knowledge-responder',
    answeredBy: { stt: app.upstreams.stt ? 'upstream' : 'offline', tts: app.upstreams.tts ? 'upstream' : 'offline', chat: app.upstreams.chat ? 'upstream' : 'offline' },
    engines: await engineReadiness(app, voices !== null),
  });
}
