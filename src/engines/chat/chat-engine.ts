import type { ResponderResult } from '../../events/voice-transcript-event.js';

export type { ResponderResult };

/** The page's own brain (`chat="none"`): the user's words and the history -> the answer. */
export type Responder = (
  text: string,
  context: { history: readonly { role: 'user' | 'assistant'; content: string }[]; signal: AbortSignal },
) => ResponderResult;

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

export interface ChatRequest {
  readonly messages: readonly ChatMessage[];
  readonly signal: AbortSignal;
}

/** Chat: history -> streamed text pieces. */
export interface ChatEngine {
  readonly name: string;
  complete(request: ChatRequest): AsyncIterable<string>;
  dispose?(): void;
}
