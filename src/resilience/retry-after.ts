/**
 * `Retry-After` (RFC 9110 section 10.2.3): either delay-seconds or an HTTP-date. Servers send it
 * with 429 and 503; the widget waits at least that long before the next request to them.
 */

/** A day: anything longer is a misconfigured server, not a plan. */
const MAX_MS = 86_400_000;

/**
 * Milliseconds to wait, or undefined when the header is absent or unreadable. A date in the
 * past means "now" (0). Fractional seconds are accepted although the RFC allows integers only,
 * because several proxies send them.
 * @example
 * parseRetryAfter('120') // 120000
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:00 GMT')) // 60000
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.min(MAX_MS, Math.round(Number(v) * 1000));
  // An HTTP-date always names a weekday or month; this keeps Date.parse from reading "12" or "-1".
  if (!/[a-z]{3}/i.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.min(MAX_MS, Math.max(0, at - now));
}

/** The wait a response asks for, read from its `Retry-After` header. */
export const retryAfterOf = (res: { headers: { get(name: string): string | null } }, now?: number) =>
  parseRetryAfter(res.headers.get('retry-after'), now);

/** The `retryAfterMs` an error carries (a RemoteError for 429/503, a circuit-open error), if any. */
export function retryAfterMsOf(error: unknown): number | undefined {
  const ms = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}
