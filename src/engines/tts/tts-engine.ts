import type { ExternalAudio, PcmAudio } from '../../audio/playback-queue.js';

export type { ExternalAudio, PcmAudio };

export interface TtsRequest {
  readonly text: string;
  readonly voice?: string;
  readonly language: string;
  readonly signal: AbortSignal;
}

/** Text-to-speech: text (one sentence at a time) -> audio. */
export interface TtsEngine {
  readonly name: string;
  synthesize(request: TtsRequest): Promise<PcmAudio | ExternalAudio>;
  /** False when the engine cannot run here (e.g. no voices); the chain skips it. */
  available?(): Promise<boolean>;
  preload?(): Promise<void>;
  dispose?(): void;
}
