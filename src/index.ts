export { VoiceAssistant } from './voice-assistant.js';
export { VoiceAssistantError, type VoiceErrorCode } from './errors.js';
export type { VoiceConfig } from './config/config.js';
export type { VoiceState, VoiceStateDetail } from './events/voice-state-event.js';
export type { VoiceErrorDetail } from './events/voice-error-event.js';
export type { Responder, ResponderResult } from './session/session-host.js';
