import { stallGuard } from '../../resilience/timeout.js';
import type { EngineChain } from '../engine-chain.js';
import type { ChatEngine, ChatMessage } from './chat-engine.js';

/** An answer under way: its first piece (already arrived) and the rest of the stream. */
export interface AnswerStream {
  readonly first: IteratorResult<string>;
  readonly it: AsyncIterator<string>;
}

/**
 * Asks the chat chain for an answer and waits for its first piece. Failover, breakers and the
 * call's timeout apply until that piece arrives; after that the stream is the answer: a stream
 * that stops for `stallMs` mid-way is given up (never retried: the answer has begun).
 */
export async function openAnswer(
  chain: EngineChain<ChatEngine>,
  messages: readonly ChatMessage[],
  signal: AbortSignal,
  stallMs: number,
): Promise<AnswerStream> {
  const stalled = new AbortController();
  const { value } = await chain.run(async (engine, callSignal) => {
    let it = engine.complete({ messages, signal: AbortSignal.any([callSignal, stalled.signal]) })[Symbol.asyncIterator]();
    if (stallMs) it = stallGuard(it, stallMs, () => stalled.abort());
    return { it, first: await it.next() };
  }, signal);
  return value;
}
