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
 * call's timeout apply until the answer is under way: the server's response head (engines that
 * report activity, like the remote one) or the first piece. From then on a stall guard watches:
 * a stream that shows no sign of life for `stallMs` is given up (never retried: the answer has
 * begun), and one that keeps flowing is never cut, however long it takes.
 */
export async function openAnswer(
  chain: EngineChain<ChatEngine>,
  messages: readonly ChatMessage[],
  signal: AbortSignal,
  stallMs: number,
): Promise<AnswerStream> {
  const stalled = new AbortController();
  const { value } = await chain.run(async (engine, callSignal) => {
    let begun!: () => void;
    const head = new Promise<void>((resolve) => (begun = resolve));
    const request = { messages, signal: AbortSignal.any([callSignal, stalled.signal]), onActivity: () => (begun(), guard?.kick()) };
    const source = engine.complete(request)[Symbol.asyncIterator]();
    const guard = stallMs ? stallGuard(source, stallMs, () => stalled.abort()) : undefined;
    const it = guard ?? source;
    const first = it.next();
    // Settled by whoever awaits it (below, or the caller after the head arrived).
    first.catch(() => {});
    await Promise.race([head, first]);
    return { it, first };
  }, signal);
  return { it: value.it, first: await value.first };
}
