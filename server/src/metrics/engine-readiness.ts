// Each engine's readiness for GET /healthz: whether a request to it now would find it able to
// answer (binaries on PATH, warm recognisers with their model loaded, an upstream configured).
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { AppContext } from '../context.ts';

export interface EngineReadiness {
  engine: string;
  ready: boolean;
  detail?: Record<string, unknown>;
}

function onPath(bin: string): boolean {
  const can = (p: string) => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  return isAbsolute(bin) ? can(bin) : (process.env.PATH ?? '').split(delimiter).some((d) => d && can(join(d, bin)));
}

/** Whether `p` has already settled successfully (never waits for it). */
async function settled(p: Promise<unknown>): Promise<boolean> {
  return Promise.race([p.then(() => true, () => false), new Promise<boolean>((r) => setImmediate(() => r(false)))]);
}

export async function engineReadiness(app: AppContext, ttsReady: boolean): Promise<Record<'transcription' | 'speech' | 'chat', EngineReadiness>> {
  const { sphinx, binaries } = app.engines;
  const sox = onPath(binaries.sox);
  return {
    transcription: sphinx
      ? { engine: 'pocketsphinx (warm)', ready: sox && (await settled(sphinx.ready())), detail: sphinx.stats }
      : { engine: 'pocketsphinx (process per request)', ready: sox && onPath(binaries.pocketsphinx) },
    speech: { engine: 'flite', ready: ttsReady && onPath(binaries.flite) },
    chat: { engine: app.upstreams.chat ? 'upstream' : 'demo-knowledge-responder', ready: true },
  };
}
