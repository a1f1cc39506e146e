import type { Operation } from '../config/operation.js';
import { VoiceEvent } from './voice-event.js';

/** `closed`: in use; `open`: failing, not called; `half-open`: one probe call allowed. */
export type CircuitState = 'closed' | 'open' | 'half-open';

export interface VoiceCircuitDetail {
  /** The engine name as in the `stt`/`tts`/`chat` attributes, e.g. `remote`. */
  engine: string;
  operation: Operation;
  /** `open`: failing, not called; `half-open`: one probe call allowed; `closed`: in use again. */
  state: CircuitState;
}

/** Fired on every transition of an engine's circuit breaker. */
export class VoiceCircuitEvent extends VoiceEvent<VoiceCircuitDetail> {
  constructor(detail: VoiceCircuitDetail) {
    super('voice-circuit', detail);
  }
}

declare global {
  interface HTMLElementEventMap {
    'voice-circuit': VoiceCircuitEvent;
  }
}
