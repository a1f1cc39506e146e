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
