// Per request: the capability's upstream answers when one is configured; the offline engine answers
// when none is, or when the upstream fails and fallback is on. "X-Engine: upstream|offline" says which.
import type { RequestContext } from '../context.ts';
import type { Capability, UpstreamConfig } from './config.ts';
import { UpstreamClientError, UpstreamUnavailable } from './forward.ts';

export const ENGINE_HEADER = 'X-Engine';

export async function answerWith(
  ctx: RequestContext,
  capability: Capability,
  viaUpstream: (up: UpstreamConfig) => Promise<void>,
  offline: () => Promise<void>,
): Promise<void> {
  const up = ctx.app.upstreams[capability];
  if (up) {
    ctx.res.setHeader(ENGINE_HEADER, 'upstream');
    try {
      await viaUpstream(up);
      return;
    } catch (e) {
      if (e instanceof UpstreamClientError) {
        e.send(ctx.res);
        return;
      }
      if (!(e instanceof UpstreamUnavailable) || ctx.signal.aborted) throw e;
      if (!ctx.app.upstreamFallback || ctx.res.headersSent) throw e.toHttpError();
      ctx.app.log(`${capability}: upstream failed (${e.message}); the offline engine answers`);
      ctx.app.upstreamFailed?.(ctx.url.pathname);
    }
  }
  ctx.res.setHeader(ENGINE_HEADER, 'offline');
  await offline();
}
