/** The three things a turn asks of an engine: recognise speech, synthesise speech, answer. */
export type Operation = 'stt' | 'tts' | 'chat';

/** How messages name each operation, e.g. "Speech recognition failed on every engine". */
export const OPERATION_LABEL: Readonly<Record<Operation, string>> = {
  stt: 'Speech recognition',
  tts: 'Speech synthesis',
  chat: 'The answer',
};
