import type { Operation } from '../config/operation.js';
import { VoiceEvent } from './voice-event.js';

export interface VoiceRateLimitedDetail {
  /** The operation whose budget (`rate-limit` attribute) is spent. */
  operation: Operation;
  /** When a call will be allowed again. */
  retryAfterMs: number;
}

/** Fired when a call was not sent because the client-side budget is spent; nothing reached the server. */
export class VoiceRateLimitedEvent extends VoiceEvent<VoiceRateLimitedDetail> {
  constructor(detail: VoiceRateLimitedDetail) {
    super('voice-rate-limited', detail);
  }
}

declare global {
  interface HTMLElementEventMap {
    'voice-rate-limited': VoiceRateLimitedEvent;
  }
}
