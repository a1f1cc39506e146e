import { VoiceEvent } from './voice-event.js';

/** Timings of one turn in milliseconds (also recorded as `performance.measure` entries). */
export interface VoiceMetricsDetail {
  speechEndToTranscriptMs: number;
  transcriptToFirstTokenMs: number;
  firstTokenToFirstAudioMs: number;
  /** From the last voiced frame to the first sound: the silence the user hears. */
  speechEndToFirstAudioMs: number;
  /** Of that, the time spent waiting for the turn to end (`silence-ms` and the VAD's delay). */
  endpointMs?: number;
  /** User speech onset (as the VAD reported it) to the assistant's audio stopped, when the user barged in. */
  bargeInMs?: number;
  /** Transport `realtime`: the VAD's speech start to the first partial transcript of the turn, when one came. */
  speechStartToFirstPartialMs?: number;
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
