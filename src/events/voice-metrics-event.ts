import { VoiceEvent } from './voice-event.js';

/** Timings of one turn in milliseconds (also recorded as `performance.measure` entries). */
export interface VoiceMetricsDetail {
  speechEndToTranscriptMs: number;
  transcriptToFirstTokenMs: number;
  firstTokenToFirstAudioMs: number;
  speechEndToFirstAudioMs: number;
  /** User speech onset (as the VAD reported it) to the assistant's audio stopped, when the user barged in. */
  bargeInMs?: number;
}

/** Fired after each conversation turn that was answered aloud. */
export class VoiceMetricsEvent extends VoiceEvent<VoiceMetricsDetail> {
  constructor(detail: VoiceMetricsDetail) {
    super('voice-metrics', detail);
  }
}

declare global {
  interface HTMLElementEventMap {
    'voice-metrics': VoiceMetricsEvent;
  }
}
