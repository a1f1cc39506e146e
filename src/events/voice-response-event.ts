import { VoiceEvent } from './voice-event.js';

export interface VoiceResponseDetail {
  /** The answer so far (the whole text, not only the newest piece). */
  text: string;
  /** True once the answer is complete (or was cut short by a barge-in). */
  final: boolean;
}

/** Fired as the assistant's answer streams in, then once more with `final: true`. */
export class VoiceResponseEvent extends VoiceEvent<VoiceResponseDetail> {
  constructor(detail: VoiceResponseDetail) {
    super('voice-response', detail);
  }
}

declare global {
  interface HTMLElementEventMap {
    'voice-response': VoiceResponseEvent;
  }
}
