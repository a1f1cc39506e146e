/** Every string the panel shows or announces, per language (the launcher's own few are in the entry). */
export interface Messages {
  /** The panel's accessible name. */
  panel: string;
  states: Record<string, string>;
  close: string;
  mute: string;
  input: string;
  placeholder: string;
  send: string;
  transcript: string;
  you: string;
  assistant: string;
  meter: string;
  downloading: string;
  accept: string;
  decline: string;
  forget: string;
  /** Shown when the language is not English and an offline engine (English only) is in the chain. */
  englishOnly: string;
  /**
   * Status text for an error code, in place of the engine's own message: how to recover, in
   * the visitor's language. English words only what its message does not already say well.
   */
  errors: Partial<Record<string, string>>;
}

export const en: Messages = {
  panel: 'Voice assistant',
  states: {
    idle: 'Press the button and speak, or type below',
    loading: 'Loading…',
    listening: 'Listening…',
    'user-speaking': 'Hearing you…',
    transcribing: 'Transcribing…',
    thinking: 'Thinking…',
    speaking: 'Speaking…',
    error: 'Something went wrong',
    disabled: 'Voice is not available here',
  },
  close: 'Close',
  mute: 'Mute spoken answers',
  input: 'Type a message',
  placeholder: 'Type a message…',
  send: 'Send',
  transcript: 'Conversation',
  you: 'You',
  assistant: 'Assistant',
  meter: 'Input level',
  downloading: 'Downloading',
  accept: 'Accept',
  decline: 'Decline',
  forget: 'Forget this conversation',
  englishOnly: 'Offline speech recognition and voice understand English only.',
  errors: {
    'mic-denied': 'The microphone is blocked. Allow it with the icon in the address bar (Safari: Settings for This Website), then press the button again, or type below.',
    'gesture-required': 'Press the microphone button to talk, or type below.',
    'mic-unavailable': 'No microphone was found. Connect one and press the button again, or type below.',
  },
};
