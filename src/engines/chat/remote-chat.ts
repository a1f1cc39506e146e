import { readSse } from '../../internal/sse-parser.js';
import type { EngineContext } from '../engine-context.js';
import { RemoteApi, RemoteError } from '../remote/remote-api.js';
import type { ChatEngine, ChatRequest } from './chat-engine.js';

interface ChunkJson {
  choices?: { delta?: { content?: string | null }; message?: { content?: string }; finish_reason?: string | null }[];
  error?: { message?: string } | string;
}

/**
 * Chat over `POST {chat-endpoint}/chat/completions` with `stream: true`: yields
 * `choices[0].delta.content` of each server-sent event until `finish_reason` or `data: [DONE]`. The system prompt
 * (`instructions`) and `chat-model` are added here.
 */
export class RemoteChat implements ChatEngine {
  readonly name = 'remote';
  private readonly api: RemoteApi;

  constructor(private readonly ctx: EngineContext) {
    this.api = new RemoteApi(ctx, 'chat');
  }

  async *complete(request: ChatRequest): AsyncGenerator<string> {
    const { instructions, chatModel } = this.ctx.config;
    const messages = [...(instructions ? [{ role: 'system', content: instructions }] : []), ...request.messages];
    const model = chatModel ? { model: chatModel } : {};
    const res = await this.api.post({
      path: '/chat/completions',
      body: JSON.stringify({ ...model, messages, stream: true }),
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      signal: request.signal,
      // Retried only until the answer starts (post() returns at the headers), never mid-stream.
      idempotent: true,
    });
    request.onActivity?.();
    if (!res.body) throw new RemoteError('engine-failed', '/chat/completions answered without a body.', res.status);
    if (!/event-stream/.test(res.headers.get('content-type') ?? '')) {
      // A server that ignores `stream: true` answers one JSON completion.
      const body = (await res.json()) as ChunkJson;
      const text = body.choices?.[0]?.message?.content;
      if (typeof text !== 'string') throw new RemoteError('engine-failed', '/chat/completions answered neither a stream nor a message.', res.status);
      yield text;
      return;
    }
    for await (const event of readSse(res.body, request.signal)) {
      request.onActivity?.();
      if (event.data === '[DONE]') return;
      let chunk: ChunkJson;
      try {
        chunk = JSON.parse(event.data) as ChunkJson;
      } catch {
        throw new RemoteError('engine-failed', `/chat/completions sent an event that is not JSON: ${event.data.slice(0, 80)}`);
      }
      if (chunk.error) {
        const message = typeof chunk.error === 'string' ? chunk.error : (chunk.error.message ?? 'unknown error');
        throw new RemoteError('engine-failed', `/chat/completions failed mid-stream: ${message}`);
      }
      const piece = chunk.choices?.[0]?.delta?.content;
      if (piece) yield piece;
      // The answer is complete at finish_reason or [DONE], whichever comes first.
      if (chunk.choices?.[0]?.finish_reason) return;
    }
    request.signal.throwIfAborted();
    throw new RemoteError('engine-failed', '/chat/completions ended without finish_reason or [DONE]: the answer may be cut.');
  }
}
