// Helpers of the conversation end-to-end tests: the BUILT element from the loopback CDN (dist/,
// so the real worklet, VAD worker and model run), the fake microphone playing a fixture, and
// the real reference server (tests/fakes/reference-server-plugin.mjs) for STT, chat and TTS.
// Run `npm run build` first: these tests exercise dist/.
import { CDN_ORIGIN } from '../helpers/origins.js';
import { PlaybackProbe } from './playback-probe.js';
import { gesture } from '../helpers/gesture.js';

export interface Truth {
  text?: string;
  segments: { text?: string; startMs: number; endMs: number }[];
}

export async function truth(name: string): Promise<Truth | undefined> {
  const res = await fetch('/tests/fixtures/fixtures.json');
  if (!res.ok) return undefined;
  const all = await res.json();
  const f = all[name] ?? all.files?.[name] ?? all.fixtures?.[name];
  if (!f) return undefined;
  return { ...f, text: f.text ?? f.segments?.map((s: { text?: string }) => s.text).filter(Boolean).join(' ') };
}

export const referenceServer = async () => ((await (await fetch('/__reference-server')).json()) as { url: string }).url;

export interface Conversation {
  el: HTMLElement & { start(): Promise<void>; stop(): void; state: string; responder?: unknown };
  log: { type: string; detail: any; at: number }[];
  session: { capture: { openedAt: number }; conversation: { speaking: boolean }; playback: { queue: { addTap(t: unknown): void } } };
  probe: PlaybackProbe;
  /** Resolves with the first event of `type` that `pred` accepts (or rejects after `ms`). */
  next(type: string, pred?: (detail: any) => boolean, ms?: number): Promise<{ detail: any; at: number }>;
  close(): void;
}

/** Defines `<voice-assistant>` from the built bundle on the loopback CDN. */
export async function defineBuilt(): Promise<void> {
  if (!customElements.get('voice-assistant')) await import(/* @vite-ignore */ `${CDN_ORIGIN}/voice-assistant.js`);
}

/** Mounts the built element against the reference server and starts listening to the fake mic. */
export async function converse(attrs: Record<string, string>): Promise<Conversation> {
  await defineBuilt();
  const base = await referenceServer();
  const el = document.createElement('voice-assistant') as Conversation['el'];
  const all = { preload: 'none', endpoint: `${base}/v1`, 'token-url': `${base}/token`, voice: 'kal16', stt: 'remote', tts: 'remote', ...attrs };
  for (const [k, v] of Object.entries(all)) el.setAttribute(k, v);
  document.body.append(el);
  const log: Conversation['log'] = [];
  const types = ['voice-state', 'voice-speech-start', 'voice-speech-end', 'voice-transcript', 'voice-response', 'voice-command', 'voice-metrics', 'voice-error'];
  const waiters: (() => void)[] = [];
  for (const type of types) {
    el.addEventListener(type, (e) => {
      log.push({ type, detail: (e as CustomEvent).detail, at: performance.now() });
      waiters.forEach((w) => w());
    });
  }
  // speak('') loads the session without opening the microphone, so the probe is in place first.
  await (el as unknown as { speak(t: string): Promise<void> }).speak('');
  const session = (el as unknown as { session: Conversation['session'] }).session;
  const probe = new PlaybackProbe(session.playback.queue);
  await gesture();
  await el.start();
  const next: Conversation['next'] = (type, pred = () => true, ms = 30000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const hit = log.find((e) => e.type === type && pred(e.detail));
        if (!hit) return false;
        waiters.splice(waiters.indexOf(check), 1);
        clearTimeout(timer);
        resolve(hit);
        return true;
      };
      const timer = setTimeout(() => reject(new Error(`no ${type} within ${ms} ms; saw ${log.map((e) => e.type).join(', ')}`)), ms);
      if (!check()) waiters.push(check);
    });
  return {
    el,
    log,
    session,
    probe,
    next,
    close() {
      probe.dispose();
      el.stop();
      el.remove();
    },
  };
}

/** Word error rate: word-level edit distance over the reference length. */
export function wer(reference: string, hypothesis: string): number {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9' ]+/g, ' ').split(/\s+/).filter(Boolean);
  const r = norm(reference);
  const h = norm(hypothesis);
  let prev = Array.from({ length: h.length + 1 }, (_, j) => j);
  for (let i = 1; i <= r.length; i++) {
    const row = [i];
    for (let j = 1; j <= h.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (r[i - 1] === h[j - 1] ? 0 : 1));
    prev = row;
  }
  return r.length ? prev[h.length]! / r.length : h.length ? 1 : 0;
}
