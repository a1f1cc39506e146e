/** One utterance to transcribe: 16 kHz mono samples in [-1, 1]. */
export interface SttRequest {
  readonly audio: Float32Array;
  readonly sampleRate: 16000;
  readonly language: string;
  /** Phrases to recognise against (command mode or a page-provided grammar), if any. */
  readonly grammar?: readonly string[];
  readonly signal: AbortSignal;
}

export interface SttResult {
  readonly text: string;
  /** 0..1 when the engine reports it. */
  readonly confidence?: number;
}

/** Speech-to-text: utterance audio -> text. */
export interface SttEngine {
  readonly name: string;
  transcribe(request: SttRequest): Promise<SttResult>;
  /** Loads code and models ahead of the first call, without side effects. */
  preload?(): Promise<void>;
  dispose?(): void;
}
