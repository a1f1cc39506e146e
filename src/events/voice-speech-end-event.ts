import { VoiceEvent } from './voice-event.js';

export interface VoiceSpeechEndDetail {
  /** Where the speech ended (its last voiced frame): milliseconds of audio since the microphone opened. */
  at: number;
  /** Length of the utterance, from its onset to `at`. */
  durationMs: number;
}

/**
 * Fired when an utterance ends: after `silence-ms` of silence (so the event comes that much
 * later than `at`), when it reaches `max-utterance-s` (cut and sent), or when listening stops
 * while the user speaks. Always paired with an earlier `voice-speech-start`.
 */
export class VoiceSpeechEndEvent extends VoiceEvent<VoiceSpeechEndDetail> {
  constructor(detail: VoiceSpeechEndDetail) {
    super('voice-speech-end', detail);
  }
}

declare global {
  interface HTMLElementEventMap {
    'voice-speech-end': VoiceSpeechEndEvent;
  }
}
