export interface TtsRequest {
  readonly text: string;
  readonly voice?: string;
  readonly language: string;
  readonly signal: AbortSignal;
}

/** Mono PCM in [-1, 1] at its own sample rate; the playback queue resamples. */
export interface PcmAudio {
  readonly kind: 'pcm';
  readonly samples: Float32Array;
  readonly sampleRate: number;
}

/** Audio the engine plays itself (the Web Speech API); resolves when done. */
export interface ExternalAudio {
  readonly kind: 'external';
  play(signal: AbortSignal): Promise<void>;
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
