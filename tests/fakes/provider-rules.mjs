// What each provider's OpenAI-compatible API accepts and how it refuses, as its documentation
// says (the URL is beside each rule). tests/fakes/provider-fakes.mjs serves these rules; the
// audio and text they answer are canned: these fakes check the protocol, not recognition.
// A rule's refusal is [status, message, {type, code, param, text (plain-text body), raw (body as is)}].

/** Whisper's languages as ISO 639-1 codes (vLLM's ISO639_1_SUPPORTED_LANGS, abridged to the common ones). */
export const ISO_639_1 = new Set(
  'af ar hy az be bs bg ca zh hr cs da nl en et fi fr gl de el he hi hu is id it ja kn kk ko lv lt mk ms mr mi ne no fa pl pt ro ru sr sk sl es sw sv tl ta th tr uk ur vi cy'.split(' '),
);

/** An error body in OpenAI's shape: https://platform.openai.com/docs/guides/error-codes#api-errors */
export const openaiError = (message, type = 'invalid_request_error', code = null, param = null) => ({ error: { message, type, param, code } });

/**
 * OpenAI. https://platform.openai.com/docs/api-reference/audio/createTranscription (model
 * required; language "in ISO-639-1 (e.g. en) format"), .../audio/createSpeech (model, input
 * and voice required; response_format "defaults to mp3"), .../chat/create (model required;
 * streamed chunks end with `data: [DONE]`), https://platform.openai.com/docs/guides/rate-limits
 * (429 when over the limit). Every request needs `Authorization: Bearer`.
 */
export const openai = {
  name: 'openai',
  needsAuth: true,
  error: (status, message, extra = {}) => openaiError(message, extra.type, extra.code, extra.param),
  stt: { modelRequired: true, models: ['whisper-1', 'gpt-4o-transcribe', 'gpt-4o-mini-transcribe'], badLanguage: 400 },
  tts: {
    modelRequired: true,
    voiceRequired: true,
    models: ['tts-1', 'tts-1-hd', 'gpt-4o-mini-tts'],
    voices: ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'nova', 'onyx', 'sage', 'shimmer', 'verse'],
    defaultFormat: 'mp3',
  },
  chat: { modelRequired: true, models: ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini'] },
  realtime: true,
  unknownModel: (m) => [404, `The model \`${m}\` does not exist or you do not have access to it.`, { code: 'model_not_found' }],
  missingModel: () => [400, 'you must provide a model parameter', { param: 'model' }],
  missingVoice: () => [400, "Missing required parameter: 'voice'.", { param: 'voice' }],
  badLanguage: (l) => [400, `Invalid language '${l}'. Language parameter must be specified in ISO-639-1 format.`, { param: 'language' }],
  notFound: (path) => [404, `Invalid URL (POST ${path})`],
};

/**
 * vLLM, one model per server (`vllm serve <model>`).
 * https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html: `model` may be left out
 * (the served model answers), another name is "does not exist" (404); errors are vLLM's
 * ErrorResponse `{"object": "error", "message", "type", "param", "code"}`
 * (https://docs.vllm.ai/en/v0.9.0/api/vllm/entrypoints/openai/protocol.html#vllm.entrypoints.openai.protocol.ErrorResponse).
 * Transcription languages are validated against ISO 639-1 codes, "Unsupported language" (400):
 * https://docs.vllm.ai/en/v0.9.0/api/vllm/entrypoints/openai/serving_transcription.html.
 * No /audio/speech route (FastAPI's own 404 `{"detail": "Not Found"}`). Reasoning models stream
 * `reasoning_content` deltas before the answer: https://docs.vllm.ai/en/latest/features/reasoning_outputs.html
 */
export const vllm = (served) => ({
  name: 'vllm',
  error: (status, message) => ({ object: 'error', message, type: status === 404 ? 'NotFoundError' : 'BadRequestError', param: null, code: status }),
  stt: served.startsWith('openai/whisper') ? { modelRequired: false, models: [served], badLanguage: 400 } : undefined,
  chat: served.startsWith('openai/whisper') ? undefined : { modelRequired: false, models: [served] },
  unknownModel: (m) => [404, `The model \`${m}\` does not exist.`],
  badLanguage: (l) => [400, `Unsupported language: ${l}.Language should be one of: ${[...ISO_639_1].slice(0, 8).join(', ')}, ...`],
  notFound: () => [404, 'Not Found', { raw: { detail: 'Not Found' } }],
});

/**
 * speaches (formerly faster-whisper-server), a FastAPI app: errors are `{"detail": ...}`
 * (https://fastapi.tiangolo.com/tutorial/handling-errors/), a missing form field is a 422 with
 * FastAPI's validation list. https://speaches.ai/usage/speech-to-text/ and
 * https://speaches.ai/usage/text-to-speech/: the model is named in each request (it is loaded
 * on demand), speech answers mp3 unless `response_format` says otherwise. A language it does not
 * know ends in a 500 (what issue 10 saw for `en-US`).
 */
export const speaches = {
  name: 'speaches',
  error: (status, message) => ({ detail: message }),
  stt: { modelRequired: true, models: ['Systran/faster-whisper-small', 'Systran/faster-distil-whisper-small.en'], badLanguage: 500 },
  tts: { modelRequired: true, voiceRequired: true, models: ['speaches-ai/Kokoro-82M-v1.0-ONNX'], voices: ['af_heart', 'am_adam'], defaultFormat: 'mp3' },
  unknownModel: (m) => [404, `Model '${m}' is not installed locally. You can download the model using \`POST /v1/models\``],
  missingModel: () => [422, [{ type: 'missing', loc: ['body', 'model'], msg: 'Field required', input: null }]],
  missingVoice: () => [422, [{ type: 'missing', loc: ['body', 'voice'], msg: 'Field required', input: null }]],
  badLanguage: () => [500, 'Internal Server Error', { text: true }],
  notFound: () => [404, 'Not Found'],
};

/**
 * Ollama's OpenAI compatibility: https://github.com/ollama/ollama/blob/main/docs/openai.md
 * (/v1/chat/completions with streaming; `model` is a required field; a model that was not
 * pulled is a 404 "model ... not found, try pulling it first"; errors in OpenAI's shape). No
 * /v1/audio routes: the Go router answers 404 "404 page not found" as text/plain.
 */
export const ollama = {
  name: 'ollama',
  error: (status, message) => openaiError(message, status === 404 ? 'api_error' : 'invalid_request_error'),
  chat: { modelRequired: true, models: ['llama3.2', 'llama3.2:latest', 'qwen3:0.6b'] },
  unknownModel: (m) => [404, `model "${m}" not found, try pulling it first`],
  missingModel: () => [400, 'model is required'],
  notFound: () => [404, '404 page not found', { text: true }],
};
