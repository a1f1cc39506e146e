import type { ExternalAudio, TtsEngine } from './tts-engine.js';

/** `tts="none"`: answers are shown and fired as events, never spoken. */
export class NoneTts implements TtsEngine {
  readonly name = 'none';

  async synthesize(): Promise<ExternalAudio> {
    return { kind: 'external', play: async () => {} };
  }
}
