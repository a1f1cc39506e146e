// POST /v1/chat/completions: JSON {model, messages, stream, stream_options}. Proxied to the chat
// upstream when one is configured, else (or when it fails) answered by the DEMO knowledge responder
// (see chat/knowledge-responder.ts).
import { asObject, readJson } from '../body.ts';
import type { RequestContext } from '../context.ts';
import { badRequest, sendJson } from '../errors.ts';
import { DEMO_MODEL, answer, chunkWords, lastUserText, messageText, type ChatMessage } from '../chat/knowledge-responder.ts';
import { completionJson, estimateUsage, streamCompletion } from '../chat/sse.ts';
import { proxyChat } from '../chat/upstream.ts';
import { answerWith } from '../gateway/engine-choice.ts';

/** Marks every demo answer so nobody mistakes it for a language model. */
export const DEMO_HEADERS = { 'X-Responder': 'demo-knowledge-responder' };

function validMessages(value: unknown): value is ChatMessage[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((m) => m !== null && typeof m === 'object' && typeof (m as { role?: unknown }).role === 'string')
  );
}

function promptText(messages: ChatMessage[]): string {
  return messages.map((m) => messageText(m.content)).join('\n');
}

export async function chatRoute(ctx: RequestContext): Promise<void> {
  const { req, res, app, signal } = ctx;
  const body = asObject(await readJson(req, app.maxJsonBytes, signal));
  if (!validMessages(body.messages)) {
    throw badRequest('"messages" must be a non-empty array of {role, content} objects.', 'invalid_messages');
  }
  const messages = body.messages;
  if (body.stream !== undefined && typeof body.stream !== 'boolean') throw badRequest('"stream" must be a boolean.', 'invalid_stream');
  const options = body.stream_options;
  if (options !== undefined && options !== null && typeof options !== 'object') throw badRequest('"stream_options" must be an object.', 'invalid_stream_options');
  const includeUsage = (options as { include_usage?: unknown } | undefined)?.include_usage === true;

  await answerWith(
    ctx,
    'chat',
    (up) => proxyChat(up, body, res, signal),
    async () => {
      const text = answer(app.knowledge, lastUserText(messages));
      const usage = estimateUsage(promptText(messages), text);
      if (body.stream === true) {
        await streamCompletion(res, chunkWords(text), DEMO_MODEL, app.chatChunkDelayMs, signal, DEMO_HEADERS, includeUsage ? usage : undefined);
      } else {
        sendJson(res, 200, completionJson(text, DEMO_MODEL, usage), DEMO_HEADERS);
      }
    },
  );
}
