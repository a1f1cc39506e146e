import { VoiceEvent } from './voice-event.js';

export interface VoiceVariantDetail {
  /** Each feature toggle of the remote configuration: `on`, `off` or the variant's name. */
  assignments: Record<string, string>;
}

/** Fired when the remote configuration's toggles are assigned, and again whenever an assignment changes. */
export class VoiceVariantEvent extends VoiceEvent<VoiceVariantDetail> {
  constructor(detail: VoiceVariantDetail) {
    super('voice-variant', detail);
  }
}

declare global {
  interface HTMLElementEventMap {
    'voice-variant': VoiceVariantEvent;
  }
}
