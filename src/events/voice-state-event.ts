import { VoiceEvent } from './voice-event.js';

/** The states of the contract; also exposed as CSS custom states (`:state(listening)`). */
export type VoiceState =
  | 'idle'
  | 'loading'
  | 'listening'
  | 'user-speaking'
  | 'transcribing'
  | 'thinking'
  | 'speaking'
  | 'error'
  | 'disabled';

export interface VoiceStateDetail {
  state: VoiceState;
  previous: VoiceState;
}

/** Fired on every state change. */
export class VoiceStateEvent extends VoiceEvent<VoiceStateDetail> {
  constructor(detail: VoiceStateDetail) {
    super('voice-state', detail);
  }
}

declare global {
  interface HTMLElementEventMap {
    'voice-state': VoiceStateEvent;
  }
}
