import type { CSSResult, ReactiveControllerHost } from '@lit/reactive-element';
import type { VoiceConfig } from '../config/config.js';
import type { VoiceAssistantError } from '../errors.js';
import type { VoiceState } from '../events/voice-state-event.js';
import type { Progress } from '../internal/loader.js';

/** One line of the panel's transcript list. */
export interface TranscriptEntry {
  id: number;
  who: 'user' | 'assistant' | 'note';
  text: string;
  final: boolean;
}

/** What the page may answer with: a string, a promise of one, or a stream of text pieces. */
export type ResponderResult = string | Promise<string> | AsyncIterable<string>;
export type Responder = (
  text: string,
  context: { history: readonly { role: 'user' | 'assistant'; content: string }[]; signal: AbortSignal },
) => ResponderResult;

/**
 * What the lazily loaded session sees of the element. The element owns the UI and the
 * configuration; the session owns the audio pipeline and engines.
 */
export interface SessionHost extends ReactiveControllerHost, EventTarget {
  readonly config: VoiceConfig;
  /** Folder of lazy assets, with a trailing slash (asset-base or the entry's own folder). */
  readonly assetFolder: string;
  readonly responder?: Responder;
  /** Phrases for the local recogniser outside command mode (empty: open dictation). */
  readonly grammar: readonly string[];
  setState(state: VoiceState): void;
  report(error: VoiceAssistantError): void;
  showLevel(level: number): void;
  showProgress(progress: Progress | null): void;
  /** Adds a transcript line, or replaces the one with the same id; returns its id. */
  showTranscript(entry: Omit<TranscriptEntry, 'id'> & { id?: number }): number;
  debugLog(...args: unknown[]): void;
}

/** The lazily loaded part: everything that touches audio. */
export interface Session {
  start(): Promise<void>;
  stop(): void;
  speak(text: string): Promise<void>;
  reset(): void;
  retry(): Promise<void>;
  /** Loads code and assets ahead of activation without touching the microphone. */
  preload(): Promise<void>;
  dispose(): void;
  /** Labels of every resource the session still holds (the debug accessor). */
  debugHeld(): string[];
}

export type SessionFactory = (host: SessionHost) => Session;

/** What the panel renders from (the element). */
export interface PanelHost {
  readonly state: string;
  readonly active: boolean;
  readonly level: number;
  readonly progress: Progress | null;
  readonly lines: readonly TranscriptEntry[];
  readonly message: string;
  readonly asking: boolean;
  readonly variant: string;
  readonly config: VoiceConfig;
  accept(ok: boolean): void;
}

/** The lazy chunk's exports, as the element uses them. */
export interface PanelModule {
  renderPanel(host: PanelHost, container: HTMLElement): void;
  panelStyles: CSSResult;
  createSession: SessionFactory;
}
