// The element's real session, made from source without starting the microphone: tests that are
// about the turn (not capture) feed utterances straight to `session.conversation`.
import type { VoiceAssistant } from '../../src/voice-assistant.js';
import { VoiceSession } from '../../src/session/voice-session.js';

/** Gives `el` its session now (as activation would) and returns it; removal disposes it. */
export function sessionOf(el: VoiceAssistant): VoiceSession {
  const session = new VoiceSession(el);
  (el as unknown as { session?: VoiceSession }).session = session;
  return session;
}
