import { VoiceAssistantError } from '../errors.js';

/**
 * Stands in for an engine that cannot run here (not in this build, unknown name): every call
 * fails with a clear message, so the chain moves on to the next engine and the final error
 * says why this one was skipped.
 */
export function unavailableEngine(name: string, reason: string): { name: string; transcribe(): Promise<never>; synthesize(): Promise<never>; complete(): AsyncGenerator<never> } {
  const fail = () => new VoiceAssistantError('unsupported', reason, true);
  return {
    name,
    transcribe: () => Promise.reject(fail()),
    synthesize: () => Promise.reject(fail()),
    // eslint-disable-next-line require-yield
    async *complete() {
      throw fail();
    },
  };
}
