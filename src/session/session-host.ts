import type { CSSResult, ReactiveControllerHost } from '@lit/reactive-element';
import type { VoiceConfig } from '../config/config.js';
import type { VoiceAssistantError } from '../errors.js';
import type { Responder } from '../engines/chat/chat-engine.js';
import type { Progress } from '../internal/loader.js';
import type { PanelHost, TranscriptEntry } from '../ui/panel.js';
import type { StateMachine } from './state-machine.js';

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
  /** The element's one state machine; the session tells it what happens. */
  readonly machine: StateMachine;
  /** Whether the user muted the spoken answers (captions go on). */
  readonly muted?: boolean;
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
  /** Push-to-talk let go: the microphone closes once the utterance under way has ended. */
  release(): void;
  speak(text: string): Promise<void>;
  /** A typed message, answered like a spoken one; the microphone is not needed. */
  send(text: string): Promise<void>;
  /** The user muted (or unmuted) the spoken answers. */
  mute(on: boolean): void;
  reset(): void;
  retry(): Promise<void>;
  /** Loads code and assets ahead of activation without touching the microphone. */
  preload(): Promise<void>;
  dispose(): void;
  /** Labels of every resource the session still holds (the debug accessor). */
  debugHeld(): string[];
}

export type SessionFactory = (host: SessionHost) => Session;

/** The lazy chunk's exports, as the element uses them. */
export interface PanelModule {
  renderPanel(host: PanelHost, container: HTMLElement): void;
  panelStyles: CSSResult;
  createSession: SessionFactory;
  /** Whether this origin's visitor accepted exactly this consent text before. */
  consentGiven(text: string): boolean;
  /** Remembers the accepted text, or forgets consent (undefined). */
  rememberConsent(text: string | undefined): void;
}
