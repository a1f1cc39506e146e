// POST /v1/chat/completions: JSON {model, messages, stream}. Proxied to the upstream provider when
// one is configured, else answered by the DEMO knowledge responder (see chat/knowledge-responder.ts).
import { asObject, readJson } from '../body.ts';
import type { RequestContext } from '../context.ts';
import { badRequest, sendJson } from '../errors.ts';
import { DEMO_MODEL, answer, chunkWords, lastUserText, type ChatMessage } from '../chat/knowledge-responder.ts';
import { completionJson, streamCompletion } from '../chat/sse.ts';
import { proxyChat } from '../chat/upstream.ts';

/** Marks every demo answer so nobody mistakes it for a language model. */
export const DEMO_HEADERS = { 'X-Responder': 'demo-knowledge-responder' };

function validMessages(value: unknown): value is ChatMessage[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((m) => m !== null && typeof m === 'object' && typeof (m as { role?: unknown }).role === 'string')
  );
}

export async function chatRoute({ req, res, app, signal }: RequestContext): Promise<void> {
  const body = asObject(await readJson(req, app.maxJsonBytes, signal));
  if (!validMessages(body.messages)) {
    throw badRequest('"messages" must be a non-empty array of {role, content} objects.', 'invalid_messages');
  }
  if (body.stream !== undefined && typeof body.stream !== 'boolean') throw badRequest('"stream" must be a boolean.', 'invalid_stream');

  if (app.upstream) {
    await proxyChat(app.upstream, body, res, signal);
    return;
  }
  const text = answer(app.knowledge, lastUserText(body.messages));
  if (body.stream === true) {
    await streamCompletion(res, chunkWords(text), DEMO_MODEL, app.chatChunkDelayMs, signal, DEMO_HEADERS);
  } else {
    sendJson(res, 200, completionJson(text, DEMO_MODEL), DEMO_HEADERS);
  }
}
