import { VoiceEvent } from './voice-event.js';

export interface VoiceCommandDetail {
  /** The phrase of `commands` that matched, as the page wrote it. */
  phrase: string;
  /** What was heard. */
  text: string;
  /** 0..1: how closely the transcript matched the phrase. */
  confidence: number;
}

/** Command mode: a spoken phrase matched one of `commands`. */
export class VoiceCommandEvent extends VoiceEvent<VoiceCommandDetail> {
  constructor(detail: VoiceCommandDetail) {
    super('voice-command', detail);
  }
}

declare global {
  interface HTMLElementEventMap {
    'voice-command': VoiceCommandEvent;
  }
}
