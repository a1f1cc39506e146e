import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningServer } from '../src/server.ts';
import { parseWav } from '../src/wav.ts';
import { fliteWav, getToken, soxWav, start, wavForm, wer } from './helpers.ts';

async function transcribe(base: string, token: string, form: FormData) {
  const t0 = performance.now();
  const r = await fetch(`${base}/v1/audio/transcriptions`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const ms = performance.now() - t0;
  return { r, ms };
}

describe('POST /v1/audio/transcriptions', () => {
  let server: RunningServer;
  let token: string;
  before(async () => {
    server = await start();
    token = await getToken(server.url);
  });
  after(() => server.close());

  test('a real 16 kHz mono 16-bit WAV comes back as its words (WER <= 25%)', async (t) => {
    const sentence = 'turn on the lights';
    const wav = soxWav(fliteWav(sentence, 'kal16'), 16000);
    const info = parseWav(wav)!;
    assert.deepEqual([info.sampleRate, info.channels, info.bitsPerSample], [16000, 1, 16]);
    const { r, ms } = await transcribe(server.url, token, wavForm(wav));
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
    const { text } = (await r.json()) as { text: string };
    const rate = wer(sentence, text);
    t.diagnostic(`recognised "${text}" WER ${(rate * 100).toFixed(0)}% in ${ms.toFixed(0)} ms (${r.headers.get('server-timing')})`);
    assert.ok(rate <= 0.25, `WER ${rate} for "${text}"`);
    for (const w of ['turn', 'lights']) assert.ok(text.toLowerCase().split(/\s+/).includes(w), `"${w}" in "${text}"`);
  });

  test('other WAV formats (8 kHz, stereo) are converted with sox first', async () => {
    const sentence = 'where are you located';
    const eight = fliteWav(sentence, 'kal');
    assert.equal(parseWav(eight)!.sampleRate, 8000);
    const stereo44 = soxWav(eight, 44100, 2);
    const info = parseWav(stereo44)!;
    assert.deepEqual([info.sampleRate, info.channels], [44100, 2]);
    for (const wav of [eight, stereo44]) {
      const { r } = await transcribe(server.url, token, wavForm(wav, { language: 'en' }));
      assert.equal(r.status, 200);
      const { text } = (await r.json()) as { text: string };
      assert.ok(wer(sentence, text) <= 0.25, `"${text}"`);
      assert.match(r.headers.get('server-timing') ?? '', /convert;dur=(?!0\.0,)/, 'conversion ran');
    }
  });

  test('response_format=text returns plain text', async () => {
    const wav = fliteWav('hello', 'kal16');
    const { r } = await transcribe(server.url, token, wavForm(wav, { response_format: 'text' }));
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal((await r.text()).trim().toLowerCase(), 'hello');
  });

  async function expect400(form: FormData | string, code: string, contentType?: string) {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (contentType) headers['content-type'] = contentType;
    const r = await fetch(`${server.url}/v1/audio/transcriptions`, { method: 'POST', headers, body: form });
    assert.equal(r.status, 400, code);
    const body = (await r.json()) as { error: { message: string; type: string; code: string } };
    assert.equal(body.error.type, 'invalid_request_error');
    assert.equal(body.error.code, code);
    assert.ok(body.error.message.length > 10);
  }

  test('missing file, non-WAV, empty audio, bad language, not multipart -> 400', async () => {
    const form = new FormData();
    form.set('model', 'x');
    await expect400(form, 'missing_file');
    await expect400(wavForm(Buffer.from('this is not audio at all, just text')), 'invalid_audio');
    await expect400(wavForm(Buffer.from('ID3\u0003\u0000\u0000\u0000 fake mp3 data')), 'invalid_audio');
    const headerOnly = soxWav(fliteWav('hi'), 16000).subarray(0, 44);
    headerOnly.writeUInt32LE(0, 40);
    await expect400(wavForm(headerOnly), 'empty_audio');
    await expect400(wavForm(fliteWav('hello'), { language: 'de' }), 'unsupported_language');
    await expect400(wavForm(fliteWav('hello'), { language: 'fr-FR' }), 'unsupported_language');
    await expect400(wavForm(fliteWav('hello'), { response_format: 'docx' }), 'unsupported_response_format');
    await expect400('{"file": "x"}', 'invalid_content_type', 'application/json');
  });
});
