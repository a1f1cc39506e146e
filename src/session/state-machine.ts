import type { VoiceState } from '../events/voice-state-event.js';

/** What happened, as the session (and the element, before the session has loaded) tells it. */
export type Happening =
  /** `start()`: code, models and the microphone are loading. */
  | 'activate'
  /** The microphone is open and the VAD listens. */
  | 'listen'
  /** The VAD confirmed that the user is speaking. */
  | 'speech'
  /** An utterance went to speech recognition. */
  | 'utterance'
  /** A transcript went to the chat engine (or the page): the answer is awaited. */
  | 'transcript'
  /** The first sound of an answer (or of `speak()`) is heard. */
  | 'audio'
  /** A turn or a spoken text is over: back to listening, or idle when the microphone is closed. */
  | 'done'
  /** `stop()`, removal, page hide: everything is released. */
  | 'stop'
  /** Push-to-talk let go: the microphone is closed, the turn in flight goes on. */
  | 'release'
  /** A recoverable error: an error state only if it happened while loading. */
  | 'fail'
  /** Capture failed after it began (track ended, VAD died): the microphone is closed. */
  | 'capture-fail'
  /** The widget cannot run here. */
  | 'fatal';

interface Rule {
  /**
   * The next state; `resting` is `listening` while the microphone is open, else `idle`; `same`
   * keeps the state, unless it is a resting one, which follows the microphone.
   */
  readonly to: VoiceState | 'resting' | 'same';
  /** Where the happening applies; elsewhere it changes nothing. Default: every state but `disabled`. */
  readonly from?: readonly VoiceState[];
  /** Whether the microphone is open afterwards (unchanged when absent). */
  readonly mic?: boolean;
}

/** The state machine of the element, in one table: `disabled` is final. */
export const TRANSITIONS: Readonly<Record<Happening, Rule>> = {
  activate: { from: ['idle', 'error'], to: 'loading' },
  listen: { to: 'listening', mic: true },
  speech: { to: 'user-speaking' },
  utterance: { to: 'transcribing' },
  transcript: { to: 'thinking' },
  audio: { to: 'speaking' },
  done: { to: 'resting' },
  stop: { to: 'idle', mic: false },
  release: { to: 'same', mic: false },
  fail: { from: ['loading'], to: 'error' },
  'capture-fail': { to: 'error', mic: false },
  fatal: { to: 'disabled' },
};

/** Pure: the state and microphone flag after `happening`. */
export function transition(state: VoiceState, mic: boolean, happening: Happening): { state: VoiceState; mic: boolean } {
  const rule = TRANSITIONS[happening];
  if (state === 'disabled' || (rule.from && !rule.from.includes(state))) return { state, mic };
  const open = rule.mic ?? mic;
  const to = rule.to === 'same' ? (state === 'listening' || state === 'idle' ? 'resting' : state) : rule.to;
  return { state: to === 'resting' ? (open ? 'listening' : 'idle') : to, mic: open };
}

/** Applies a state: the element's own method (custom states, the `voice-state` event, the view). */
export interface StateHost {
  setState(next: VoiceState, previous: VoiceState): void;
}

/**
 * The one owner of the element's `VoiceState`: everything that changes it sends a happening
 * here, and only this calls the host's `setState`. Small on purpose: it lives in the entry,
 * because the element is `loading` before the session's chunk has arrived.
 * @example
 * const machine = new StateMachine(element);
 * machine.send('activate'); // idle -> loading
 */
export class StateMachine {
  state: VoiceState = 'idle';
  private mic = false;

  constructor(private readonly host: StateHost) {}

  /** Whether `happening` would apply now (e.g. `activate` only from idle or error). */
  can(happening: Happening): boolean {
    return transition(this.state, this.mic, happening).state !== this.state;
  }

  send(happening: Happening): VoiceState {
    const previous = this.state;
    const next = transition(previous, this.mic, happening);
    this.mic = next.mic;
    this.state = next.state;
    if (next.state !== previous) this.host.setState(next.state, previous);
    return next.state;
  }
}
