/** Machine-readable error codes carried by `voice-error` (DESIGN.md section 1). */
export type VoiceErrorCode =
  | 'invalid-config'
  | 'mic-denied'
  | 'mic-unavailable'
  | 'unsupported'
  | 'asset-load'
  | 'engine-failed'
  | 'rate-limited'
  | 'timeout'
  | 'blocked-by-csp'
  | 'asset-integrity'
  | 'aborted'
  /** `start()` was called outside a click or key press: the microphone opens only after a user gesture. */
  | 'gesture-required';

/**
 * The root of every error the widget raises; each carries a `code` and whether the user can
 * recover by trying again.
 * @example
 * throw new VoiceAssistantError('asset-load', 'Could not load the speech model.', true);
 */
export class VoiceAssistantError extends Error {
  constructor(
    readonly code: VoiceErrorCode,
    message: string,
    readonly recoverable = true,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'VoiceAssistantError';
  }
}

/** Wraps anything thrown into a VoiceAssistantError with the given fallback code. */
export const toVoiceError = (e: unknown, code: VoiceErrorCode, message?: string): VoiceAssistantError =>
  e instanceof VoiceAssistantError
    ? e
    : new VoiceAssistantError(code, message ?? (e instanceof Error ? e.message : String(e)), true, { cause: e });
