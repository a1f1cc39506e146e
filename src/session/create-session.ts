import type { Session, SessionHost } from './session-host.js';
import { VoiceSession } from './voice-session.js';

/** The lazily loaded session: the audio pipeline and the engines behind the element. */
export function createSession(host: SessionHost): Session {
  return new VoiceSession(host);
}
