// Conformance: the official openai npm SDK as a real client against the server (offline engines).
// Every call the SDK makes is OpenAI's documented API (https://platform.openai.com/docs/api-reference).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import OpenAI, { toFile } from 'openai';
import type { RunningServer } from '../src/server.ts';
import { probe } from './audio-probe.ts';
import { getToken, start } from './helpers.ts';

const fixture = (name: string) => readFileSync(new URL(`../../tests/fixtures/${name}`, import.meta.url));
const QUESTION = fixture('question.wav');

describe('the openai SDK against the server', () => {
  let server: RunningServer;
  let client: OpenAI;
  before(async () => {
    server = await start({ chatChunkDelayMs: 0, engineTimeoutMs: 60_000 });
    await server.recogniserReady();
    client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: await getToken(server.url), maxRetries: 0 });
  });
  after(() => server.close());

  const transcribe = async (response_format: 'json' | 'text' | 'verbose_json' | 'srt' | 'vtt') =>
    client.audio.transcriptions.create({ file: await toFile(QUESTION, 'question.wav'), model: 'whisper-1', language: 'en', response_format });

  test('transcription: json, text, verbose_json, srt, vtt say the same words', async () => {
    const json = await transcribe('json');
    assert.ok(json.text.length > 5, json.text);
    assert.equal(await transcribe('text'), json.text);
    const verbose = (await transcribe('verbose_json')) as OpenAI.Audio.TranscriptionVerbose;
    assert.equal(verbose.text, json.text);
    assert.equal(verbose.language, 'english');
    assert.ok(Math.abs(verbose.duration - 5.01) < 1.5, `duration ${verbose.duration}`);
    assert.equal(verbose.segments!.length, 1);
    const seg = verbose.segments![0]!;
    assert.equal(seg.text, json.text);
    assert.ok(seg.start >= 0.8 && seg.start < seg.end && seg.end <= verbose.duration, `segment ${seg.start}..${seg.end}`);
    const srt = (await transcribe('srt')) as unknown as string;
    assert.match(srt, /^1\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}\n/);
    assert.ok(srt.includes(json.text));
    const vtt = (await transcribe('vtt')) as unknown as string;
    assert.match(vtt, /^WEBVTT\n\n\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}\n/);
    assert.ok(vtt.includes(json.text));
  });

  const speak = async (response_format?: 'mp3' | 'opus' | 'aac' | 'flac' | 'wav' | 'pcm') => {
    const r = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'Hello from the reference server.', ...(response_format ? { response_format } : {}) });
    return { type: r.headers.get('content-type'), engine: r.headers.get('x-engine'), bytes: Buffer.from(await r.arrayBuffer()) };
  };

  test('speech without response_format is mp3, as OpenAI', async () => {
    const { type, bytes, engine } = await speak();
    assert.equal(type, 'audio/mpeg');
    assert.equal(engine, 'offline');
    const p = probe(bytes);
    assert.equal(p.codec, 'mp3');
    assert.ok(p.durationS > 1 && p.durationS < 5, `duration ${p.durationS}`);
  });

  test('speech mp3, opus, aac, flac, wav are really those formats', async () => {
    const expected = { mp3: ['mp3', 'mp3', 'audio/mpeg'], opus: ['ogg', 'opus', 'audio/ogg; codecs=opus'], aac: ['aac', 'aac', 'audio/aac'], flac: ['flac', 'flac', 'audio/flac'], wav: ['wav', 'pcm_s16le', 'audio/wav'] } as const;
    for (const [format, [container, codec, type]] of Object.entries(expected)) {
      const r = await speak(format as keyof typeof expected);
      assert.equal(r.type, type, format);
      const p = probe(r.bytes);
      assert.equal(p.format, container, format);
      assert.equal(p.codec, codec, format);
      assert.ok(p.durationS > 1 && p.durationS < 5, `${format} duration ${p.durationS}`);
    }
    assert.equal((await speak('opus')).bytes.subarray(0, 4).toString('latin1'), 'OggS');
    assert.equal((await speak('flac')).bytes.subarray(0, 4).toString('latin1'), 'fLaC');
  });

  test('speech pcm is raw 24 kHz 16-bit mono: as long as the wav', async () => {
    const wav = probe((await speak('wav')).bytes);
    const pcm = await speak('pcm');
    assert.equal(pcm.type, 'audio/pcm');
    assert.notEqual(pcm.bytes.subarray(0, 4).toString('latin1'), 'RIFF', 'no header');
    assert.equal(pcm.bytes.length % 2, 0);
    const p = probe(pcm.bytes, ['-f', 's16le', '-ar', '24000', '-ac', '1']);
    assert.equal(p.sampleRate, 24000);
    assert.ok(Math.abs(pcm.bytes.length / 48000 - wav.durationS) < 0.01, `${pcm.bytes.length / 48000} s vs ${wav.durationS} s`);
  });

  test('chat, not streamed: one completion with usage', async () => {
    const c = await client.chat.completions.create({ model: 'any', messages: [{ role: 'user', content: 'What are your opening hours?' }] });
    assert.equal(c.object, 'chat.completion');
    assert.match(c.choices[0]!.message.content!, /open/i);
    assert.equal(c.choices[0]!.finish_reason, 'stop');
    assert.ok(c.usage!.prompt_tokens > 0 && c.usage!.total_tokens === c.usage!.prompt_tokens + c.usage!.completion_tokens);
  });

  test('chat streamed with include_usage: the words, then a usage chunk with no choices', async () => {
    const stream = await client.chat.completions.create({
      model: 'any',
      messages: [{ role: 'user', content: 'What are your opening hours?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      if (chunk.choices[0]) {
        text += chunk.choices[0].delta.content ?? '';
        finish = chunk.choices[0].finish_reason ?? finish;
        assert.equal(chunk.usage ?? null, null, 'usage only on the last chunk');
      } else usage = chunk.usage;
    }
    assert.ok(chunks > 3);
    assert.match(text, /open/i);
    assert.equal(finish, 'stop');
    assert.ok(usage && usage.completion_tokens === Math.ceil(text.length / 4), JSON.stringify(usage));
  });

  test('chat streamed without include_usage sends no usage chunk', async () => {
    const stream = await client.chat.completions.create({ model: 'any', messages: [{ role: 'user', content: 'hi' }], stream: true });
    for await (const chunk of stream) assert.ok(chunk.choices.length === 1 && !chunk.usage);
  });

  test('models list', async () => {
    const ids: string[] = [];
    for await (const m of client.models.list()) {
      assert.equal(m.object, 'model');
      ids.push(m.id);
    }
    assert.deepEqual(ids.sort(), ['flite', 'pocketsphinx-en-us', 'reference-demo-responder']);
  });

  test('errors are parsed by the SDK: status, type, code and message', async () => {
    await assert.rejects(
      client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'x', response_format: 'ogg' as 'mp3' }),
      (e: unknown) => e instanceof OpenAI.BadRequestError && e.status === 400 && e.code === 'unsupported_response_format' && /mp3, opus, aac, flac, wav, pcm/.test(e.message),
    );
    const stranger = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'not-a-token', maxRetries: 0 });
    await assert.rejects(stranger.models.list(), (e: unknown) => e instanceof OpenAI.AuthenticationError && e.status === 401 && e.code === 'token_invalid');
    await assert.rejects(
      client.chat.completions.create({ model: 'any', messages: [] }),
      (e: unknown) => e instanceof OpenAI.BadRequestError && /messages/.test(e.message),
    );
  });
});
