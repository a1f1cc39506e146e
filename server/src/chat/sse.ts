// Server-sent events in the shape of OpenAI's chat completion stream.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export function completionId(): string {
  return `chatcmpl-${randomBytes(12).toString('hex')}`;
}

export function startSse(res: ServerResponse, extraHeaders: Record<string, string> = {}): void {
  res.writeHead(200, {
    ...extraHeaders,
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
}

/** Writes one `data:` event, waiting for the socket to drain when it is full. */
export async function sendEvent(res: ServerResponse, data: unknown): Promise<void> {
  const text = `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
  if (!res.write(text)) await new Promise<void>((r) => res.once('drain', r).once('close', r));
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** Streams `chunks` as chat.completion.chunk events with a small delay between them, then [DONE]. */
export async function streamCompletion(
  res: ServerResponse,
  chunks: readonly string[],
  model: string,
  delayMs: number,
  signal: AbortSignal,
  extraHeaders: Record<string, string> = {},
  usage?: Usage,
): Promise<void> {
  const id = completionId();
  const created = Math.floor(Date.now() / 1000);
  const base = { id, object: 'chat.completion.chunk', created, model };
  startSse(res, extraHeaders);
  for (let i = 0; i < chunks.length; i++) {
    if (signal.aborted) return;
    if (i > 0) await sleep(delayMs, signal);
    if (signal.aborted) return;
    const delta = i === 0 ? { role: 'assistant', content: chunks[i] } : { content: chunks[i] };
    await sendEvent(res, { ...base, choices: [{ index: 0, delta, finish_reason: null }] });
  }
  if (signal.aborted) return;
  await sendEvent(res, { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
  // stream_options.include_usage: one more chunk with no choices and the usage, as OpenAI sends it.
  if (usage) await sendEvent(res, { ...base, choices: [], usage });
  await sendEvent(res, '[DONE]');
  res.end();
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** Token counts estimated as OpenAI's rule of thumb (about 4 characters a token): no tokenizer here. */
export function estimateUsage(prompt: string, completion: string): Usage {
  const count = (s: string) => (s ? Math.max(1, Math.ceil(s.length / 4)) : 0);
  const p = count(prompt);
  const c = count(completion);
  return { prompt_tokens: p, completion_tokens: c, total_tokens: p + c };
}

export function completionJson(content: string, model: string, usage?: Usage) {
  return {
    id: completionId(),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    ...(usage ? { usage } : {}),
  };
}
