import { VoiceEvent } from './voice-event.js';

/** What the page may answer with: a string, a promise of one, or a stream of text pieces. */
export type ResponderResult = string | Promise<string> | AsyncIterable<string>;

export interface VoiceTranscriptDetail {
  /** What the user said. */
  text: string;
  /** Always true today: transcripts are of whole utterances. */
  final: boolean;
  /** The engine that recognised it (`remote`, `local`, or a registered name). */
  engine: string;
  /** From the end of speech to the transcript. */
  latencyMs: number;
  /**
   * Conversation mode with `chat="none"`: answer with a string, a promise or an async iterable
   * of text pieces. Call it from the event listener (synchronously).
   */
  respond?: (answer: ResponderResult) => void;
}

/** Fired when an utterance has been transcribed. */
export class VoiceTranscriptEvent extends VoiceEvent<VoiceTranscriptDetail> {
  constructor(detail: VoiceTranscriptDetail) {
    super('voice-transcript', detail);
  }
}

declare global {
  interface HTMLElementEventMap {
    'voice-transcript': VoiceTranscriptEvent;
  }
}
