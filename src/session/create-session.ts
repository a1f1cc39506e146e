import { VoiceAssistantError } from '../errors.js';
import type { Session, SessionHost } from './session-host.js';

/** The lazily loaded session. */
export function createSession(host: SessionHost): Session {
  const missing = () => new VoiceAssistantError('unsupported', 'The audio pipeline is not part of this build yet.', true);
  return {
    async start() {
      host.report(missing());
    },
    stop() {},
    async speak() {
      throw missing();
    },
    reset() {},
    async retry() {
      throw missing();
    },
    async preload() {},
    dispose() {},
  };
}
