import type { VoiceAssistant } from '../../src/voice-assistant.js';

/** Mounts a fresh element with the given attributes; returns it once rendered. */
export async function mount(attrs: Record<string, string> = {}, parent: HTMLElement = document.body) {
  const el = document.createElement('voice-assistant') as VoiceAssistant;
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  parent.append(el);
  await el.updateComplete;
  return el;
}

/** Collects events of the given types fired by `target` until `stop()` is called. */
export function record<T = unknown>(target: EventTarget, ...types: string[]) {
  const events: { type: string; detail: T }[] = [];
  const on = (e: Event) => events.push({ type: e.type, detail: (e as CustomEvent<T>).detail });
  for (const t of types) target.addEventListener(t, on);
  return {
    events,
    stop: () => types.forEach((t) => target.removeEventListener(t, on)),
  };
}

/** Captures console.warn calls until restored. */
export function captureWarnings() {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
  return { warnings, restore: () => (console.warn = original) };
}

export const nextTask = () => new Promise((r) => setTimeout(r, 0));
