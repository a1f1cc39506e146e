import { VoiceAssistantError } from '../../errors.js';
import type { ChatEngine, ChatRequest, Responder, ResponderResult } from './chat-engine.js';

/** A string, a promise of one, or an async iterable of pieces, as one stream of text pieces. */
export async function* textPieces(result: ResponderResult | undefined | null, signal: AbortSignal): AsyncGenerator<string> {
  const value = await result;
  if (value == null) return;
  if (typeof value === 'string') {
    if (value) yield value;
    return;
  }
  if (typeof (value as AsyncIterable<string>)[Symbol.asyncIterator] === 'function' || typeof (value as unknown as Iterable<string>)[Symbol.iterator] === 'function') {
    for await (const piece of value as AsyncIterable<unknown>) {
      signal.throwIfAborted();
      if (piece != null && piece !== '') yield String(piece);
    }
    return;
  }
  throw new VoiceAssistantError('engine-failed', 'The responder must give a string, a promise of one, or an async iterable of strings.', true);
}

/**
 * `chat="none"`: the page answers, through the `responder` property or through
 * `detail.respond(...)` on `voice-transcript` (which wins when both are there).
 */
export class PageResponder implements ChatEngine {
  readonly name = 'page';

  constructor(
    private readonly responder: () => Responder | undefined,
    private readonly answered?: ResponderResult,
  ) {}

  /** Whether there is anything to answer with. */
  get ready(): boolean {
    return this.answered !== undefined || !!this.responder();
  }

  complete(request: ChatRequest): AsyncGenerator<string> {
    if (this.answered !== undefined) return textPieces(this.answered, request.signal);
    const responder = this.responder();
    const messages = request.messages.filter((m) => m.role !== 'system');
    const last = messages.at(-1);
    const history = messages.slice(0, -1) as { role: 'user' | 'assistant'; content: string }[];
    let result: ResponderResult | undefined;
    try {
      result = responder?.(last?.content ?? '', { history, signal: request.signal });
    } catch (e) {
      result = Promise.reject(e);
    }
    return textPieces(result, request.signal);
  }
}
