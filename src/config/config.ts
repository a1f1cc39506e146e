import { ATTRIBUTES, ATTRIBUTE_NAMES, propertyName, type AttributeName } from './attributes.js';
import type { RateLimits } from './rate-limit.js';

/** The element's whole configuration: parsed, validated, defaulted and frozen. */
export interface VoiceConfig {
  readonly mode: 'conversation' | 'dictation' | 'command';
  readonly stt: readonly string[];
  readonly tts: readonly string[];
  /** `remote`, `none` (the page answers) or a registered engine's name. */
  readonly chat: string;
  readonly endpoint?: string;
  /** Per capability, overriding `endpoint` for it (`endpointOf` picks the one in force). */
  readonly sttEndpoint?: string;
  readonly ttsEndpoint?: string;
  readonly chatEndpoint?: string;
  readonly tokenUrl?: string;
  readonly sttModel?: string;
  readonly ttsModel?: string;
  readonly chatModel?: string;
  readonly voice?: string;
  readonly instructions?: string;
  readonly commands: readonly string[];
  readonly language: string;
  readonly vadThreshold: number;
  readonly silenceMs: number;
  readonly maxUtteranceS: number;
  /** `auto`, `none`, or the browser processing features asked for, space-separated (see capture-processing.ts). */
  readonly audioProcessing: string;
  readonly bargeIn: boolean;
  readonly rateLimit: RateLimits;
  readonly preload: 'none' | 'hover' | 'idle' | 'eager';
  readonly variant: 'floating' | 'inline';
  readonly configUrl?: string;
  readonly persist: 'none' | 'history';
  /** `http`: a request per step of a turn; `realtime`: one WebSocket per listening session. */
  readonly transport: 'http' | 'realtime';
  readonly environment?: 'development' | 'staging' | 'production';
  readonly groups: readonly string[];
  readonly consent?: string;
  /** A text field in the panel for typing instead of speaking. */
  readonly textInput: boolean;
  readonly metricsUrl?: string;
  readonly assetBase?: string;
  readonly debug: boolean;
  /** False when the remote configuration's `local-fallback` toggle is off: the default chains leave out `local`. */
  readonly localFallback?: boolean;
}

/** The base URL a capability's remote engine calls: its own `{op}-endpoint`, else `endpoint`. */
export const endpointOf = (c: VoiceConfig, op: 'stt' | 'tts' | 'chat'): string | undefined =>
  (op === 'stt' ? c.sttEndpoint : op === 'tts' ? c.ttsEndpoint : c.chatEndpoint) ?? c.endpoint;

/** An attribute value that was refused; the default stands in for it. */
export interface ConfigProblem {
  readonly attribute: AttributeName;
  readonly value: string;
  readonly accepts: string;
}


/**
 * Builds the configuration from raw attribute values (null = absent). Never throws: every
 * refused value is listed in `problems` and replaced by its default.
 */
export function resolveConfig(
  raw: Partial<Record<AttributeName, string | null>>,
  settings: { localFallback?: boolean } = {},
): {
  config: VoiceConfig;
  problems: ConfigProblem[];
} {
  const out: Record<string, unknown> = settings.localFallback === false ? { localFallback: false } : {};
  const problems: ConfigProblem[] = [];
  const later: AttributeName[] = [];
  for (const name of ATTRIBUTE_NAMES) {
    const spec = ATTRIBUTES[name];
    const value = raw[name];
    const parsed = value == null ? undefined : (spec.parse as (s: string) => unknown)(String(value));
    if (value != null && parsed === undefined) problems.push({ attribute: name, value: String(value), accepts: spec.accepts });
    if (parsed !== undefined) out[propertyName(name)] = parsed;
    else if (typeof spec.def === 'function') later.push(name);
    else if (spec.def !== undefined) out[propertyName(name)] = spec.def;
  }
  for (const name of later) out[propertyName(name)] = (ATTRIBUTES[name].def as (c: object) => unknown)(out);
  return { config: Object.freeze(out) as unknown as VoiceConfig, problems };
}
