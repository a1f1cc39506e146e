// The BUILT element from the loopback CDN with no endpoint at all: only the static origins
// serving the page and dist/, so every engine in play is local (DESIGN.md section 3).
// Run `npm run build` first.
import { ASSET_CACHE } from '../../../src/internal/verified-asset.js';
import { CDN_ORIGIN } from '../../helpers/origins.js';
import { PlaybackProbe } from '../../conversation/playback-probe.js';

export const COMMANDS = 'turn on the lights; turn off the lights; next page; previous page';

type Logged = { path: string; status: number };
export const cdnLog = async (): Promise<Logged[]> => (await fetch(`${CDN_ORIGIN}/__log`)).json();
export const cdnPaths = async () => (await cdnLog()).map((l) => l.path);
/**
 * A first-time visitor: the CDN's request log emptied and nothing kept in Cache Storage (another
 * test file may have kept the verified models there, and then nothing would be requested).
 */
export const resetCdn = () => Promise.all([fetch(`${CDN_ORIGIN}/__reset`), caches.delete(ASSET_CACHE)]);

/** Local engine files as the CDN saw them requested. */
export const LOCAL_FILE = /^\/(flite[.-]|sphinx[-/]|soundswallower\.wasm)/;

export interface Offline {
  el: HTMLElement & { start(): Promise<void>; stop(): void; speak(t: string): Promise<void>; state: string };
  log: { type: string; detail: any }[];
  close(): void;
}

/** Mounts the built element (no endpoint, `preload="none"`) with the given attributes. */
export async function mountOffline(attrs: Record<string, string>): Promise<Offline> {
  if (!customElements.get('voice-assistant')) await import(/* @vite-ignore */ `${CDN_ORIGIN}/voice-assistant.js`);
  const el = document.createElement('voice-assistant') as Offline['el'];
  for (const [k, v] of Object.entries({ preload: 'none', ...attrs })) el.setAttribute(k, v);
  const log: Offline['log'] = [];
  for (const type of ['voice-state', 'voice-transcript', 'voice-command', 'voice-error', 'voice-speech-end']) {
    el.addEventListener(type, (e) => log.push({ type, detail: (e as CustomEvent).detail }));
  }
  document.body.append(el);
  await (el as unknown as { updateComplete: Promise<unknown> }).updateComplete;
  return { el, log, close: () => (el.stop(), el.remove()) };
}

/** A probe on the element's playback queue (the session is created by `speak('')`, which says nothing). */
export async function probePlayback(el: Offline['el']): Promise<PlaybackProbe> {
  await el.speak('');
  const session = (el as unknown as { session: { playback: { queue: ConstructorParameters<typeof PlaybackProbe>[0] } } }).session;
  return new PlaybackProbe(session.playback.queue);
}

export async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string) {
  const end = performance.now() + ms;
  while (!(await cond())) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Origins this page's main thread fetched from, other than its own and the CDN's. */
export const foreignOrigins = () =>
  [...new Set((performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((e) => new URL(e.name).origin))].filter(
    (o) => o !== location.origin && o !== CDN_ORIGIN,
  );
