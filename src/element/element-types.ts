// What the framework typings (src/frameworks/: react.ts, vue.ts, svelte.ts) share: the element's attributes as
// markup writes them, and its events by name with their typed `detail`.
import type { AttributeName } from '../config/attributes.js';
import type { VoiceConfig } from '../config/config.js';
import type { Responder } from '../engines/chat/chat-engine.js';

/** The element's events by name (each `bubbles`, `composed`, with a typed `detail`). */
export interface VoiceAssistantEventMap {
  'voice-state': HTMLElementEventMap['voice-state'];
  'voice-speech-start': HTMLElementEventMap['voice-speech-start'];
  'voice-speech-end': HTMLElementEventMap['voice-speech-end'];
  'voice-transcript': HTMLElementEventMap['voice-transcript'];
  'voice-command': HTMLElementEventMap['voice-command'];
  'voice-response': HTMLElementEventMap['voice-response'];
  'voice-error': HTMLElementEventMap['voice-error'];
  'voice-rate-limited': HTMLElementEventMap['voice-rate-limited'];
  'voice-circuit': HTMLElementEventMap['voice-circuit'];
  'voice-metrics': HTMLElementEventMap['voice-metrics'];
  'voice-variant': HTMLElementEventMap['voice-variant'];
}

type Flag = boolean | 'true' | 'false' | '';
type Typed = 'mode' | 'variant' | 'preload' | 'persist' | 'environment' | 'barge-in' | 'text-input' | 'debug';

/** Every attribute of the contract, as markup writes it (the enumerations and flags narrowed). */
export type VoiceAssistantAttributes = { [K in Exclude<AttributeName, Typed>]?: string } & {
  mode?: VoiceConfig['mode'];
  variant?: VoiceConfig['variant'];
  preload?: VoiceConfig['preload'];
  persist?: VoiceConfig['persist'];
  environment?: NonNullable<VoiceConfig['environment']>;
  'barge-in'?: Flag;
  'text-input'?: Flag;
  debug?: Flag;
  /** The page's own answers (a property, not an attribute). */
  responder?: Responder;
};

/** `token-url` -> `tokenUrl`. */
type Camel<S extends string> = S extends `${infer A}-${infer B}` ? `${A}${Capitalize<Camel<B>>}` : S;

/** The attributes as Vue props: Vue turns `token-url` in a template into `tokenUrl` (the element's property). */
export type VoiceAssistantCamelProps = { [K in keyof VoiceAssistantAttributes as K extends string ? Camel<K> : K]: VoiceAssistantAttributes[K] };

/** `voice-transcript` -> `VoiceTranscript`. */
type Pascal<S extends string> = S extends `${infer A}-${infer B}` ? `${Capitalize<A>}${Pascal<B>}` : Capitalize<S>;

/** `onvoice-transcript` handlers: React 19 and Svelte 5 listen for the name after `on` as written. */
export type LowerEventHandlers = { [K in keyof VoiceAssistantEventMap as `on${K}`]?: (event: VoiceAssistantEventMap[K]) => void };

/** `onVoiceTranscript` handlers: what Vue compiles `@voice-transcript` to. */
export type VueEventHandlers = { [K in keyof VoiceAssistantEventMap as `on${Pascal<K>}`]?: (event: VoiceAssistantEventMap[K]) => void };
