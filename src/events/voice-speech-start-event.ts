import { VoiceEvent } from './voice-event.js';

export interface VoiceSpeechStartDetail {
  /** Where the speech began: milliseconds of audio since the microphone opened. */
  at: number;
}

/**
 * Fired when voice activity detection is sure the user started speaking (a burst shorter than
 * the minimum speech length is a misfire and fires nothing). `at` is the onset in the audio,
 * which is earlier than the moment the event fires.
 */
export class VoiceSpeechStartEvent extends VoiceEvent<VoiceSpeechStartDetail> {
  constructor(detail: VoiceSpeechStartDetail) {
    super('voice-speech-start', detail);
  }
}

declare global {
  interface HTMLElementEventMap {
    'voice-speech-start': VoiceSpeechStartEvent;
  }
}
