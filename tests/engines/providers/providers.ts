// The provider fakes beside the test runner (tests/fakes/provider-fakes-plugin.mjs), each on its
// own origin, and an engine context made from attributes, as the element would make it.
import { resolveConfig } from '../../../src/config/config.js';
import { createEngineContext } from '../../../src/engines/create-engine-context.js';

const PORTS = { openai: 10, 'vllm-whisper': 11, 'vllm-chat': 12, speaches: 13, ollama: 14 } as const;
export type Provider = keyof typeof PORTS;

/** The origin of a provider's fake, on the page's own host name (same site, another origin). */
export const origin = (p: Provider) => `http://${location.hostname}:${Number(location.port) + PORTS[p]}`;
/** A base URL of the fake with options (`slow-40`, `no-done`, `429-20`, ...) and a test's tag. */
export const base = (p: Provider, tag: string, ...options: string[]) => `${origin(p)}/t/${tag}/${options.map((o) => `${o}/`).join('')}v1`;
export const tokenUrl = (p: Provider, tag: string, ...options: string[]) => `${origin(p)}/t/${tag}/${options.map((o) => `${o}/`).join('')}token`;

export interface Logged {
  tag: string;
  route: string;
  status: number;
  auth: string;
  cookie: string;
  fields: Record<string, unknown>;
}

/** What the fake of `p` was sent by the test tagged `tag`. */
export async function sent(p: Provider, tag: string): Promise<Logged[]> {
  const all = (await (await fetch(`${origin(p)}/__log`)).json()) as Logged[];
  return all.filter((l) => l.tag === tag);
}

export function context(attrs: Record<string, string>) {
  const { config } = resolveConfig(attrs);
  return createEngineContext({ config, assetFolder: location.origin + '/', showProgress: () => {}, debugLog: () => {} });
}

export const never = () => new AbortController().signal;
/** Half a second of a quiet tone at 16 kHz: something to transcribe. */
export const utterance = () => new Float32Array(8000).map((_, i) => 0.1 * Math.sin(i / 5));

/** The error a promise rejects with (or null when it resolves). */
export const failureOf = (p: Promise<unknown>) => p.then(() => null, (e: Error & { code?: string; status?: number; retryAfterMs?: number }) => e);

/** Collects an async iterable of text. */
export async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const piece of it) out.push(piece);
  return out;
}
