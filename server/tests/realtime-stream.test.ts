// Incremental recognition on /v1/realtime: each session decodes its buffer with a streaming
// recogniser of its own (sphinx_worker.py --stream), fed as the audio is appended; the commit's
// final transcript is that decoder's, ready at once. Past the limit of streaming recognisers, a
// session re-decodes with the shared warm ones and loses nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningServer } from '../src/server.ts';
import { Downsampler24to16, downsample24to16 } from '../src/realtime/audio.ts';
import { pcm16ToWav } from '../src/wav.ts';
import { getToken, start, wavForm, wer } from './helpers.ts';
import { appendAudio, connect, speech24k, tokenProtocols, type Client } from './realtime-client.ts';

const QUESTION = 'what are your opening hours';
const until = async (ok: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return ok();
};

test('the streaming 24 -> 16 kHz downsampler gives exactly the one-shot result, in pieces of any size', () => {
  for (const n of [0, 1, 2, 3, 7, 480, 1001, 24000]) {
    const src = Buffer.alloc(n * 2);
    for (let i = 0; i < n; i++) src.writeInt16LE(Math.round(Math.sin(i / 7) * 12000 + ((i * 7919) % 300)), i * 2);
    for (const piece of [1, 2, 3, 160, 479, 720]) {
      const d = new Downsampler24to16();
      const parts: Buffer[] = [];
      for (let at = 0; at < n; at += piece) parts.push(d.push(src.subarray(at * 2, Math.min(n, at + piece) * 2)));
      parts.push(d.flush());
      assert.deepEqual(Buffer.concat(parts), downsample24to16(src), `${n} samples in pieces of ${piece}`);
    }
  }
});

describe('/v1/realtime with streaming recognisers', () => {
  let server: RunningServer;
  let token: string;
  const clients: Client[] = [];
  const open = async () => {
    const c = await connect(server.url, tokenProtocols(token));
    clients.push(c);
    await c.next('session.created');
    return c;
  };

  before(async () => {
    server = await start({ chatChunkDelayMs: 5, realtimeStreams: 2 });
    await server.recogniserReady();
    token = await getToken(server.url);
  });
  after(async () => {
    for (const c of clients) c.close();
    await server.close();
  });

  test('partials grow while the audio is appended; the commit gives the streamed decoder\'s final transcript, as good as a one-shot decode', async () => {
    const before = { ...server.realtimeStats(), partialDecodeMs: [...server.realtimeStats().partialDecodeMs] };
    const c = await open();
    const pcm = speech24k(QUESTION, 400);
    await appendAudio(c, pcm, 100, true);
    const partials = c.events.filter((e) => e.type === 'conversation.item.input_audio_transcription.delta');
    assert.ok(partials.length >= 2, `partials while appending: ${partials.map((p) => p.transcript).join(' | ')}`);
    assert.equal(partials.at(-1)!.transcript, QUESTION, 'the last partial, before any commit');
    c.send({ type: 'input_audio_buffer.commit' });
    const completed = await c.next('conversation.item.input_audio_transcription.completed');
    // The one-shot decode of the same audio, through the HTTP route (the same warm recognisers).
    const form = wavForm(pcm16ToWav(downsample24to16(pcm), 16000));
    const http = (await (await fetch(`${server.url}/v1/audio/transcriptions`, { method: 'POST', body: form, headers: { Authorization: `Bearer ${token}` } })).json()) as { text: string };
    const stats = server.realtimeStats();
    console.log(`[stream] partials ${partials.map((p) => p.transcript).join(' | ')}; final "${completed.transcript}"; one-shot "${http.text}"; feeds ${stats.partialDecodes - before.partialDecodes}, ms ${stats.partialDecodeMs.slice(before.partialDecodeMs.length).join(' ')}`);
    assert.ok(wer(QUESTION, completed.transcript) <= wer(QUESTION, http.text), 'as good as the one-shot decode');
    assert.equal(completed.transcript, QUESTION);
    assert.equal(stats.streamed - before.streamed, 1);
    assert.equal(stats.finalsFromPartials - before.finalsFromPartials, 1);
    assert.ok(stats.partialDecodes - before.partialDecodes >= 10, 'fed chunk by chunk');
  });

  test('clear starts a new utterance: the next commit holds only what came after it', async () => {
    const c = await open();
    await appendAudio(c, speech24k('turn on the lights', 300));
    await c.next('conversation.item.input_audio_transcription.delta');
    c.send({ type: 'input_audio_buffer.clear' });
    await c.next('input_audio_buffer.cleared');
    await appendAudio(c, speech24k(QUESTION, 300));
    c.send({ type: 'input_audio_buffer.commit' });
    const completed = await c.next('conversation.item.input_audio_transcription.completed');
    assert.equal(completed.transcript, QUESTION);
  });

  test('past the limit a session re-decodes and loses nothing; a closed session ends its recogniser', async () => {
    for (const c of clients.splice(0)) c.close();
    assert.ok(await until(() => server.streamStats()!.open === 0), 'closed sessions ended their recognisers');
    const a = await open();
    const b = await open();
    const streamedBefore = server.realtimeStats().streamed;
    const refusedBefore = server.streamStats()!.refused;
    const third = await open();
    assert.equal(server.realtimeStats().streamed, streamedBefore, 'the third session has no streaming recogniser');
    assert.equal(server.streamStats()!.refused, refusedBefore + 1);
    assert.equal(server.streamStats()!.open, 2);
    await appendAudio(third, speech24k(QUESTION, 300));
    third.send({ type: 'input_audio_buffer.commit' });
    assert.equal((await third.next('conversation.item.input_audio_transcription.completed', undefined, 30000)).transcript, QUESTION);
    a.close();
    b.close();
    assert.ok(await until(() => server.streamStats()!.open === 0));
  });
});
