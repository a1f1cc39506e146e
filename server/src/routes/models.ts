// GET /v1/models: the models this server answers with, in OpenAI's list shape
// (https://platform.openai.com/docs/api-reference/models/list): the offline engines, and the model
// configured for each capability's upstream.
import type { RequestContext } from '../context.ts';
import { sendJson } from '../errors.ts';
import { DEMO_MODEL } from '../chat/knowledge-responder.ts';
import { CAPABILITIES } from '../gateway/config.ts';

export const OFFLINE_MODELS = { stt: 'pocketsphinx-en-us', tts: 'flite', chat: DEMO_MODEL } as const;
const STARTED = Math.floor(Date.now() / 1000);

export async function modelsRoute({ res, app }: RequestContext): Promise<void> {
  const ids = new Map<string, string>();
  for (const cap of CAPABILITIES) {
    ids.set(OFFLINE_MODELS[cap], 'offline');
    const model = app.upstreams[cap]?.model;
    if (model) ids.set(model, 'upstream');
  }
  const data = [...ids].map(([id, owned_by]) => ({ id, object: 'model', created: STARTED, owned_by }));
  sendJson(res, 200, { object: 'list', data });
}
