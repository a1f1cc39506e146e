import { expect } from '@esm-bundle/chai';
import { RemoteChat } from '../../src/engines/chat/remote-chat.js';
import { RemoteStt } from '../../src/engines/stt/remote-stt.js';
import { RemoteTts } from '../../src/engines/tts/remote-tts.js';
import { base, collect, context, failureOf, never, sent, tokenUrl, utterance } from './providers/providers.js';

/**
 * The widget's remote engines, in Chromium, against fakes that refuse what OpenAI, vLLM,
 * speaches and Ollama refuse (tests/fakes/provider-rules.mjs cites each rule's documentation).
 */
const TRANSCRIPT = 'remind me to call my mother tomorrow morning at nine';
const ANSWER = 'Sure. The lights are on now.';
const messages = [{ role: 'user' as const, content: 'Turn on the lights.' }];
const transcribe = (attrs: Record<string, string>, language = 'en-US') =>
  new RemoteStt(context(attrs)).transcribe({ audio: utterance(), sampleRate: 16000, language, signal: never() });
const speak = (attrs: Record<string, string>) => new RemoteTts(context(attrs)).synthesize({ text: 'The lights are on.', language: 'en-US', signal: never() });
const answer = (attrs: Record<string, string>) => collect(new RemoteChat(context(attrs)).complete({ messages, signal: never() }));
const rms = (x: Float32Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);

describe('remote engines against OpenAI (fake: model required, ISO 639-1, mp3 by default, bearer required)', () => {
  const tag = `openai-${Date.now()}`;
  const openai = (extra: Record<string, string> = {}, ...options: string[]) => ({
    endpoint: base('openai', tag, ...options),
    'token-url': tokenUrl('openai', tag),
    ...extra,
  });

  it('transcribes with stt-model, sending language "en" for en-US and the bearer token', async () => {
    expect((await transcribe(openai({ 'stt-model': 'whisper-1' }))).text).to.equal(TRANSCRIPT);
    const [call] = (await sent('openai', tag)).filter((l) => l.route === '/v1/audio/transcriptions');
    expect(call!.fields).to.include({ model: 'whisper-1', language: 'en', response_format: 'json' });
    expect(call!.auth).to.match(/^Bearer tok-\d+$/);
  });

  it('without stt-model: a clear error with OpenAI\'s own message (the model is required there)', async () => {
    const e = await failureOf(transcribe(openai()));
    expect(e?.code).to.equal('engine-failed');
    expect(e?.message).to.equal('/audio/transcriptions answered HTTP 400: you must provide a model parameter');
  });

  it('speaks with tts-model and voice, asking for WAV', async () => {
    const pcm = await speak(openai({ 'tts-model': 'tts-1', voice: 'alloy' }));
    expect(pcm.sampleRate).to.equal(24000);
    expect(pcm.samples.length).to.equal(9600);
    const [call] = (await sent('openai', tag)).filter((l) => l.route === '/v1/audio/speech');
    expect(call!.fields).to.deep.equal({ model: 'tts-1', input: 'The lights are on.', voice: 'alloy', response_format: 'wav' });
  });

  it('decodes an mp3 answer (a server that ignores response_format answers OpenAI\'s default)', async () => {
    const pcm = await speak(openai({ 'tts-model': 'tts-1', voice: 'alloy' }, 'ignore-format'));
    const seconds = pcm.samples.length / pcm.sampleRate;
    expect(seconds).to.be.within(1.2, 1.6); // the fixture is 1.37 s of Flite speech
    expect(rms(pcm.samples)).to.be.above(0.01);
  });

  it('streams a chat answer with chat-model; an unknown model is refused with the server\'s message', async () => {
    expect((await answer(openai({ 'chat-model': 'gpt-4o-mini' }))).join('')).to.equal(ANSWER);
    const e = await failureOf(answer(openai({ 'chat-model': 'llama3.2' })));
    expect(e?.message).to.equal('/chat/completions answered HTTP 404: The model `llama3.2` does not exist or you do not have access to it.');
  });

  it('a 429 with Retry-After is one request, a rate-limited error that says how long to wait', async () => {
    const t = `${tag}-429`;
    const e = await failureOf(transcribe({ endpoint: base('openai', t, '429-20'), 'stt-model': 'whisper-1' }));
    expect(e?.code).to.equal('rate-limited');
    expect(e?.retryAfterMs).to.equal(20_000);
    expect(e?.message).to.contain('Rate limit reached for requests');
    expect((await sent('openai', t)).length).to.equal(1);
  });
});

describe('remote engines against vLLM (fake: model optional, other names 404, "Unsupported language")', () => {
  const tag = `vllm-${Date.now()}`;

  it('transcribes with default attributes: no model sent, language "en"', async () => {
    expect((await transcribe({ endpoint: base('vllm-whisper', tag) }))).to.deep.equal({ text: TRANSCRIPT });
    const [call] = await sent('vllm-whisper', tag);
    expect(call!.fields).to.deep.equal({ file: call!.fields.file, language: 'en', response_format: 'json' });
    expect(call!.fields.file).to.equal(44 + 8000 * 2);
  });

  it('leaves language out when the tag has no ISO 639-1 code (fil-PH), so the server detects it', async () => {
    expect((await transcribe({ endpoint: base('vllm-whisper', `${tag}-fil`) }, 'fil-PH')).text).to.equal(TRANSCRIPT);
    const [call] = await sent('vllm-whisper', `${tag}-fil`);
    expect(call!.fields).not.to.have.property('language');
  });

  it('reads vLLM\'s error shape: a model it does not serve', async () => {
    const e = await failureOf(transcribe({ endpoint: base('vllm-whisper', tag), 'stt-model': 'whisper-1' }));
    expect(e?.message).to.equal('/audio/transcriptions answered HTTP 404: The model `whisper-1` does not exist.');
  });

  it('streams a chat answer with no model named', async () => {
    expect((await answer({ endpoint: base('vllm-chat', tag) })).join('')).to.equal(ANSWER);
    const [call] = await sent('vllm-chat', tag);
    expect(call!.fields).to.deep.equal({ messages, stream: true });
  });

  it('has no speech route: FastAPI\'s 404 {"detail": "Not Found"}', async () => {
    const e = await failureOf(speak({ endpoint: base('vllm-chat', tag) }));
    expect(e?.message).to.equal('/audio/speech answered HTTP 404: Not Found');
  });
});

describe('remote engines against speaches (fake: FastAPI errors, model named in each request)', () => {
  const tag = `speaches-${Date.now()}`;
  const speaches = (extra: Record<string, string> = {}) => ({ endpoint: base('speaches', tag), ...extra });

  it('without stt-model: FastAPI\'s validation error, read as "model: Field required"', async () => {
    const e = await failureOf(transcribe(speaches()));
    expect(e?.message).to.equal('/audio/transcriptions answered HTTP 422: model: Field required');
  });

  it('transcribes and speaks with the models and voice named', async () => {
    expect((await transcribe(speaches({ 'stt-model': 'Systran/faster-whisper-small' }))).text).to.equal(TRANSCRIPT);
    const pcm = await speak(speaches({ 'tts-model': 'speaches-ai/Kokoro-82M-v1.0-ONNX', voice: 'af_heart' }));
    expect(pcm.samples.length).to.equal(9600);
    const calls = await sent('speaches', tag);
    expect(calls.map((c) => [c.route, c.status])).to.deep.equal([
      ['/v1/audio/transcriptions', 422],
      ['/v1/audio/transcriptions', 200],
      ['/v1/audio/speech', 200],
    ]);
  });
});

describe('remote engines against Ollama (fake: chat only, model required, OpenAI-shaped errors)', () => {
  const tag = `ollama-${Date.now()}`;

  it('without chat-model: "model is required"; with it, the streamed answer', async () => {
    const e = await failureOf(answer({ endpoint: base('ollama', tag) }));
    expect(e?.message).to.equal('/chat/completions answered HTTP 400: model is required');
    expect((await answer({ endpoint: base('ollama', tag), 'chat-model': 'llama3.2' })).join('')).to.equal(ANSWER);
  });

  it('a stream that ends after finish_reason without data: [DONE] is a whole answer', async () => {
    const pieces = await answer({ endpoint: base('ollama', tag, 'no-done'), 'chat-model': 'llama3.2' });
    expect(pieces.join('')).to.equal(ANSWER);
  });

  it('has no audio routes: its router\'s plain-text 404 is the message', async () => {
    const e = await failureOf(transcribe({ endpoint: base('ollama', tag) }));
    expect(e?.message).to.equal('/audio/transcriptions answered HTTP 404: 404 page not found');
  });
});
