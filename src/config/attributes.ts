import * as p from './parsers.js';
import { DEFAULT_RATE_LIMITS, parseRateLimits } from './rate-limit.js';

/**
 * The attributes of the public contract (DESIGN.md section 1): name, parser, default and the
 * words a warning uses to say what is accepted. A default that is a function depends on
 * other settings (the engine chains follow `endpoint` and the per-capability endpoints).
 */
export const ATTRIBUTES = {
  mode: { parse: p.oneOf('conversation', 'dictation', 'command'), def: 'conversation', accepts: 'conversation, dictation or command' },
  stt: { parse: p.engineList, def: (c: Ends) => (c.endpoint || c.sttEndpoint ? withLocal(c) : ['local']), accepts: 'engine names such as "remote local"' },
  tts: { parse: p.engineList, def: (c: Ends) => (c.endpoint || c.ttsEndpoint ? withLocal(c) : ['local']), accepts: 'engine names such as "remote local browser" or "none"' },
  chat: { parse: p.chatEngine, def: (c: Ends) => (c.endpoint || c.chatEndpoint ? 'remote' : 'none'), accepts: 'remote, none or the name of a registered chat engine' },
  endpoint: { parse: p.url, def: undefined, accepts: 'an http(s) URL' },
  'stt-endpoint': { parse: p.url, def: undefined, accepts: 'an http(s) URL' },
  'tts-endpoint': { parse: p.url, def: undefined, accepts: 'an http(s) URL' },
  'chat-endpoint': { parse: p.url, def: undefined, accepts: 'an http(s) URL' },
  transport: { parse: p.oneOf('http', 'realtime'), def: 'http', accepts: 'http or realtime' },
  'token-url': { parse: p.url, def: undefined, accepts: 'an http(s) URL' },
  'stt-model': { parse: p.token, def: undefined, accepts: 'a model name' },
  'tts-model': { parse: p.token, def: undefined, accepts: 'a model name' },
  'chat-model': { parse: p.token, def: undefined, accepts: 'a model name' },
  voice: { parse: p.token, def: undefined, accepts: 'a voice name' },
  instructions: { parse: p.text(8000), def: undefined, accepts: 'text up to 8000 characters' },
  commands: { parse: p.phrases, def: [] as readonly string[], accepts: 'phrases separated by ";"' },
  language: { parse: p.language, def: 'en-US', accepts: 'a BCP 47 tag such as en-US' },
  'vad-threshold': { parse: p.numberIn(0.05, 0.99), def: 0.5, accepts: 'a number from 0.05 to 0.99' },
  'silence-ms': { parse: p.numberIn(100, 10000), def: 500, accepts: 'milliseconds from 100 to 10000' },
  'max-utterance-s': { parse: p.numberIn(1, 120), def: 30, accepts: 'seconds from 1 to 120' },
  'audio-processing': { parse: p.audioProcessing, def: 'auto', accepts: 'auto, none, or any of echo-cancellation noise-suppression auto-gain-control' },
  'barge-in': { parse: p.flag, def: true, accepts: 'true or false' },
  'rate-limit': { parse: parseRateLimits, def: DEFAULT_RATE_LIMITS, accepts: 'op=N/unit,... with op stt, tts or chat and unit s, min, h or day; or none' },
  preload: { parse: p.oneOf('none', 'hover', 'idle', 'eager'), def: 'hover', accepts: 'none, hover, idle or eager' },
  variant: { parse: p.oneOf('floating', 'inline'), def: 'floating', accepts: 'floating or inline' },
  'config-url': { parse: p.url, def: undefined, accepts: 'an http(s) URL' },
  persist: { parse: p.oneOf('none', 'history'), def: 'none', accepts: 'none or history' },
  environment: { parse: p.oneOf('development', 'staging', 'production'), def: undefined, accepts: 'development, staging or production' },
  groups: { parse: p.groups, def: [] as readonly string[], accepts: 'space-separated group names' },
  consent: { parse: p.text(2000), def: undefined, accepts: 'text up to 2000 characters' },
  'text-input': { parse: p.flag, def: true, accepts: 'true or false' },
  'metrics-url': { parse: p.url, def: undefined, accepts: 'an http(s) URL' },
  'asset-base': { parse: p.url, def: undefined, accepts: 'an http(s) URL' },
  debug: { parse: p.flag, def: false, accepts: 'true or false' },
} as const;

type Ends = { endpoint?: string; sttEndpoint?: string; ttsEndpoint?: string; chatEndpoint?: string; localFallback?: boolean };
/** The remote engine, then the local one unless the remote configuration's `local-fallback` toggle is off. */
const withLocal = (c: Ends) => (c.localFallback === false ? ['remote'] : ['remote', 'local']);
export type AttributeName = keyof typeof ATTRIBUTES;
export const ATTRIBUTE_NAMES = Object.keys(ATTRIBUTES) as AttributeName[];


/** `token-url` -> `tokenUrl`: the property that mirrors an attribute. */
export const propertyName = (attr: string) => attr.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
