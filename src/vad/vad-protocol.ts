import type { SegmentEvent, SegmenterOptions } from './segmenter.js';

/** Messages between the main thread (vad-client.ts) and the VAD worker (vad.worker.ts). */
export type ToWorker =
  | { type: 'init'; model: ArrayBuffer; wasm: ArrayBuffer; wasmPaths: string; options: SegmenterOptions }
  /**
   * The port the capture worklet posts its frames to (a new one for each listening), and how
   * many frames may wait for the model (max-utterance-s plus pre-roll): nothing said while the
   * model loads is lost.
   */
  | { type: 'port'; port: MessagePort; keep?: number }
  /** The model could not load: hand back the frames kept so far, as one piece of audio. */
  | { type: 'flush' }
  /** Listening starts again on a warm worker: forget the last stream, segment with `options`. */
  | { type: 'reset'; options: SegmenterOptions }
  | { type: 'stats' }
  /** Live changes of the segmenter (the echo guard while the assistant speaks). */
  | { type: 'configure'; options: Partial<Pick<SegmenterOptions, 'threshold' | 'minSpeechMs'>> }
  /** Transport `realtime`: post every frame, as 24 kHz PCM16 base64, in order with the segment events. */
  | { type: 'stream'; on: boolean }
  | { type: 'release' };

/** What the worker measured: inference time against audio time is the real-time factor. */
export interface VadStats {
  frames: number;
  audioMs: number;
  inferenceMs: number;
  /** Frames dropped because the queue was full (the model was not ready or too slow). */
  dropped: number;
  /** Largest backlog of frames waiting for inference. */
  maxQueue: number;
}

export type FromWorker =
  | { type: 'ready'; loadMs: number }
  /** The segmenter's events but misfires (which mean nothing to the page). */
  | Exclude<SegmentEvent, { type: 'misfire' }>
  | { type: 'stats'; stats: VadStats }
  | { type: 'flushed'; audio: Float32Array }
  | { type: 'pcm'; audio: string }
  | { type: 'error'; message: string };

/** A frame as the capture worklet posts it. */
export interface FrameMessage {
  type: 'frame';
  index: number;
  samples: Float32Array;
}
