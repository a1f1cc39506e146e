// Where a realtime answer's words come from: the chat upstream when one is configured (its
// streamed chat completion, the key staying on the server), else the demo knowledge responder
// (chat/knowledge-responder.ts), word groups paced like the HTTP route's stream.
import type { AppContext } from '../context.ts';
import { answer, chunkWords, lastUserText, type ChatMessage } from '../chat/knowledge-responder.ts';

/** Waits `ms`, or less when `signal` aborts (never rejects). */
export const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((ok) => {
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      ok();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

export async function* answerChunks(app: AppContext, messages: ChatMessage[], signal: AbortSignal): AsyncGenerator<string> {
  const up = app.upstreams.chat;
  if (!up) {
    for (const chunk of chunkWords(answer(app.knowledge, lastUserText(messages)))) {
      if (signal.aborted) return;
      yield chunk;
      await sleep(app.chatChunkDelayMs, signal);
    }
    return;
  }
  const { baseUrl, apiKey, model } = up;
  const r = await fetch(`${baseUrl.replace(/\/+$/, '')}/chat/completions`, {
    method: 'POST',
    headers: { ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}), 'Content-Type': 'application/json', Accept: 'text/event-stream' },
    body: JSON.stringify({ ...(model ? { model } : {}), messages, stream: true }),
    signal,
  });
  if (!r.ok || !r.body) throw new Error(`the upstream chat provider answered HTTP ${r.status}`);
  const decoder = new TextDecoder();
  let pending = '';
  for await (const bytes of r.body as unknown as AsyncIterable<Uint8Array>) {
    pending += decoder.decode(bytes, { stream: true });
    const lines = pending.split(/\r?\n/);
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('data:')) continue;
      const data = line.slice(5).trim();
      if (data === '[DONE]') return;
      try {
        const choice = (JSON.parse(data) as { choices?: { delta?: { content?: string }; finish_reason?: string | null }[] }).choices?.[0];
        if (choice?.delta?.content) yield choice.delta.content;
        if (choice?.finish_reason) return;
      } catch {
        // a malformed event line of the upstream: skip it, as the widget's SSE reader does
      }
    }
  }
}
