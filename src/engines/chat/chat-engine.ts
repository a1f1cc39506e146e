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
  /**
   * For engines that can tell: call it when the server shows signs of life (the response head,
   * then every event, including ones without text such as a reasoning model's thinking). The
   * call's timeout then ends, and a stall guard measures the gaps instead: a slow answer that
   * keeps flowing is never cut (DESIGN.md "Remote protocol").
   */
  readonly onActivity?: () => void;
}

/** Chat: history -> streamed text pieces. */
export interface ChatEngine {
  readonly name: string;
  complete(request: ChatRequest): AsyncIterable<string>;
  dispose?(): void;
}
