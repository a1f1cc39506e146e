import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningServer } from '../src/server.ts';
import { parseWav, durationS } from '../src/wav.ts';
import { getToken, postJson, start, wavForm, wer } from './helpers.ts';

function rms(samples: Buffer): number {
  let sum = 0;
  const n = Math.floor(samples.length / 2);
  for (let i = 0; i < n; i++) sum += samples.readInt16LE(i * 2) ** 2;
  return n ? Math.sqrt(sum / n) : 0;
}

describe('POST /v1/audio/speech', () => {
  let server: RunningServer;
  let token: string;
  before(async () => {
    server = await start();
    token = await getToken(server.url);
  });
  after(() => server.close());

  // WAV unless the test asks for another format (the server's default is mp3, as OpenAI's: openai-sdk.test.ts).
  const speak = (body: unknown) =>
    postJson(server.url, '/v1/audio/speech', token, body && typeof body === 'object' ? { response_format: 'wav', ...body } : body);

  test('returns a real 16-bit WAV of plausible length with non-zero energy', async (t) => {
    const t0 = performance.now();
    const r = await speak({ model: 'tts-1', input: 'Turn on the lights.', voice: 'alloy', response_format: 'wav' });
    const bytes = Buffer.from(await r.arrayBuffer());
    const ms = performance.now() - t0;
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'audio/wav');
    assert.equal(r.headers.get('x-voice'), 'kal16', 'OpenAI voice names map to kal16');
    assert.equal(Number(r.headers.get('content-length')), bytes.length);
    assert.equal(bytes.toString('latin1', 0, 4), 'RIFF');
    assert.equal(bytes.toString('latin1', 8, 12), 'WAVE');
    const wav = parseWav(bytes)!;
    assert.equal(wav.format, 1);
    assert.equal(wav.bitsPerSample, 16);
    assert.equal(wav.channels, 1);
    assert.equal(wav.sampleRate, 16000);
    const seconds = durationS(wav);
    t.diagnostic(`${seconds.toFixed(2)} s of audio in ${ms.toFixed(0)} ms (${r.headers.get('server-timing')})`);
    assert.ok(seconds > 0.5 && seconds < 4, `duration ${seconds}`);
    assert.ok(rms(wav.data) > 300, `rms ${rms(wav.data)}`);
  });

  test('a longer text gives longer audio; the audio is understood by the recogniser', async () => {
    const short = parseWav(Buffer.from(await (await speak({ input: 'Hello.' })).arrayBuffer()))!;
    const sentence = 'We are open from nine in the morning to six in the evening';
    const r = await speak({ input: sentence, voice: 'kal16' });
    const long = Buffer.from(await r.arrayBuffer());
    assert.ok(durationS(parseWav(long)!) > durationS(short) * 2);
    const stt = await fetch(`${server.url}/v1/audio/transcriptions`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: wavForm(long) });
    const { text } = (await stt.json()) as { text: string };
    assert.ok(wer(sentence, text) <= 0.25, `"${text}"`);
  });

  test("flite's own voices are used when installed; unknown voices fall back to kal16", async () => {
    for (const [voice, expected] of [['slt', 'slt'], ['rms', 'rms'], ['KAL16', 'kal16'], ['nova', 'kal16'], ['no-such-voice', 'kal16']]) {
      const r = await speak({ input: 'Hello there.', voice });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('x-voice'), expected, voice);
      const wav = parseWav(Buffer.from(await r.arrayBuffer()))!;
      assert.ok(durationS(wav) > 0.3);
    }
  });

  test('speed stretches or shortens the audio', async () => {
    const len = async (speed?: number) =>
      durationS(parseWav(Buffer.from(await (await speak({ input: 'Turn on the lights.', ...(speed ? { speed } : {}) })).arrayBuffer()))!);
    const normal = await len();
    const fast = await len(2);
    const slow = await len(0.5);
    assert.ok(Math.abs(fast / normal - 0.5) < 0.1, `fast ${fast} vs ${normal}`);
    assert.ok(Math.abs(slow / normal - 2) < 0.3, `slow ${slow} vs ${normal}`);
    for (const speed of [0, 5, '2', -1]) {
      const r = await speak({ input: 'hi', speed });
      assert.equal(r.status, 400, String(speed));
      assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'invalid_speed');
    }
  });

  test('pcm is raw 24 kHz 16-bit mono', async () => {
    const wavR = await speak({ input: 'Hello there.', response_format: 'wav' });
    const wav = parseWav(Buffer.from(await wavR.arrayBuffer()))!;
    const r = await speak({ input: 'Hello there.', response_format: 'pcm' });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'audio/pcm');
    assert.equal(r.headers.get('x-sample-rate'), '24000');
    const pcm = Buffer.from(await r.arrayBuffer());
    assert.notEqual(pcm.toString('latin1', 0, 4), 'RIFF');
    const expected = (wav.data.length / 2) * 1.5 * 2;
    assert.ok(Math.abs(pcm.length - expected) < 200, `${pcm.length} vs ${expected}`);
    assert.ok(rms(pcm) > 300);
  });

  test('invalid requests -> 400 in the OpenAI error shape', async () => {
    const cases: [unknown, string][] = [
      [{ input: 'x'.repeat(4097) }, 'input_too_long'],
      [{ input: '' }, 'invalid_input'],
      [{ input: '   ' }, 'invalid_input'],
      [{ voice: 'alloy' }, 'invalid_input'],
      [{ input: 42 }, 'invalid_input'],
      [{ input: 'hi', response_format: 'ogg' }, 'unsupported_response_format'],
      [{ input: 'hi', response_format: 'm4a' }, 'unsupported_response_format'],
      [{ input: 'hi', voice: 7 }, 'invalid_voice'],
      ['[1, 2]', 'invalid_json'],
      ['{"input": "unterminated', 'invalid_json'],
    ];
    for (const [body, code] of cases) {
      const r = await speak(body);
      assert.equal(r.status, 400, code);
      const err = (await r.json()) as { error: { message: string; type: string; code: string } };
      assert.equal(err.error.type, 'invalid_request_error');
      assert.equal(err.error.code, code);
    }
  });

  test('4096 characters is still accepted', async () => {
    const r = await speak({ input: 'ok. '.repeat(1024) });
    assert.equal(r.status, 200);
    assert.ok(durationS(parseWav(Buffer.from(await r.arrayBuffer()))!) > 5);
  });
});
