import type { VoiceErrorCode } from '../errors.js';
import { VoiceEvent } from './voice-event.js';

export interface VoiceErrorDetail {
  code: VoiceErrorCode;
  message: string;
  recoverable: boolean;
}

/** Fired for every problem the user or the page should know about; never thrown. */
export class VoiceErrorEvent extends VoiceEvent<VoiceErrorDetail> {
  constructor(detail: VoiceErrorDetail) {
    super('voice-error', detail);
  }
}

declare global {
  interface HTMLElementEventMap {
    'voice-error': VoiceErrorEvent;
  }
}
