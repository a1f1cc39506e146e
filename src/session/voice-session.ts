import { VoiceAssistantError } from '../errors.js';
import type { Session, SessionHost } from './session-host.js';

/**
 * Wires the pipeline of DESIGN.md section 2 for one element:
 *   capture (mic -> worklet -> VAD, src/controllers/capture-controller.ts)  -> utterances
 *   conversation (STT -> responder -> TTS -> playback, src/controllers/conversation-controller.ts)
 * Each part is a controller bound to the host's lifecycle; this class only connects them.
 */
export class VoiceSession implements Session {
  constructor(private readonly host: SessionHost) {}

  async start(): Promise<void> {
    this.host.report(new VoiceAssistantError('unsupported', 'The audio pipeline is not part of this build yet.', true));
  }

  stop(): void {}

  async speak(_text: string): Promise<void> {
    throw new VoiceAssistantError('unsupported', 'Speech output is not part of this build yet.', true);
  }

  reset(): void {}

  async retry(): Promise<void> {
    throw new VoiceAssistantError('unsupported', 'There is nothing to retry yet.', true);
  }

  async preload(): Promise<void> {}

  dispose(): void {
    this.stop();
  }
}
