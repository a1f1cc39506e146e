// The answer prepared while the user pauses (server/src/realtime/speculation.ts): after 200 ms of
// quiet audio the session answers the words heard so far in the background, holding every event;
// a response.create for that buffer adopts it, and speech after the pause drops it unseen, the
// response then answering everything said.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { answer } from '../src/chat/knowledge-responder.ts';
import { KNOWLEDGE, waitFor } from './helpers.ts';
import { appendAudio, realtimeServer, speech24k, type Client } from './realtime-client.ts';

const until = (ok: () => boolean) => waitFor(ok, 10000);
const responseEvents = (c: Client, from = 0) => c.events.slice(from).filter((e) => e.type.startsWith('response.'));
const answered = (c: Client, from: number) =>
  c.events.slice(from).filter((e) => e.type === 'response.output_audio_transcript.delta').map((e) => e.delta).join('');

describe('/v1/realtime answers prepared in the pause', () => {
  const rt = realtimeServer({ chatChunkDelayMs: 5, realtimeStreams: 2 });
  const open = () => rt.open();
  const stats = () => rt.server.realtimeStats();

  test('held until response.create, then adopted: the answer to the final transcript, audio and all', async () => {
    const before = { ...stats() };
    const c = await open();
    await appendAudio(c, speech24k('what are your opening hours', 500), 100, true);
    assert.ok(await until(() => stats().speculations > before.speculations), 'an answer was prepared in the pause');
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(responseEvents(c), [], 'nothing of it is sent before response.create');
    const at = c.events.length;
    c.send({ type: 'input_audio_buffer.commit' });
    c.send({ type: 'response.create' });
    const done = await c.next('response.done', undefined, 30000);
    const final = await c.next('conversation.item.input_audio_transcription.completed');
    const types = c.events.slice(at).map((e) => e.type);
    console.log(`[speculation] final "${final.transcript}"; first audio delta at event ${types.indexOf('response.output_audio.delta')}, final transcript at ${types.indexOf('conversation.item.input_audio_transcription.completed')}`);
    const now = stats();
    assert.equal(now.speculationsAdopted - before.speculationsAdopted, 1);
    assert.equal(now.speculationMismatches - before.speculationMismatches, 0);
    assert.equal(done.response.status, 'completed');
    assert.equal(answered(c, at), answer(KNOWLEDGE as never, final.transcript));
    assert.ok(types.indexOf('response.created') < types.indexOf('response.output_audio_transcript.delta'), 'response.created first');
    assert.ok(types.indexOf('conversation.item.input_audio_transcription.completed') < types.indexOf('response.done'), 'the final transcript before response.done');
    const audioBytes = c.events.slice(at).filter((e) => e.type === 'response.output_audio.delta').reduce((n, e) => n + Buffer.from(e.delta, 'base64').length, 0);
    assert.ok(audioBytes / 48000 > 2, `${audioBytes / 48000} s of answer audio`);
    // The conversation holds the question and the answer, as without speculation.
    c.send({ type: 'conversation.item.truncate', event_id: 't', item_id: done.response.output[0].id, content_index: 0, audio_end_ms: 100 });
    assert.equal((await c.next('conversation.item.truncated')).item_id, done.response.output[0].id);
  });

  test('speech after the pause drops the prepared answer unseen; the response answers everything said', async () => {
    const before = { ...stats() };
    const c = await open();
    const first = 'where are you located';
    await appendAudio(c, speech24k(first, 500), 100, true);
    assert.ok(await until(() => stats().speculations > before.speculations), 'an answer was prepared in the pause');
    await appendAudio(c, speech24k('what are your opening hours on sunday', 300), 100, true);
    assert.deepEqual(responseEvents(c), []);
    const at = c.events.length;
    c.send({ type: 'input_audio_buffer.commit' });
    c.send({ type: 'response.create' });
    await c.next('response.done', undefined, 30000);
    const final = await c.next('conversation.item.input_audio_transcription.completed');
    console.log(`[speculation] final "${final.transcript}"; ${stats().speculations - before.speculations} prepared`);
    assert.notEqual(answer(KNOWLEDGE as never, final.transcript), answer(KNOWLEDGE as never, first), 'the two answers differ (else this test proves nothing)');
    assert.equal(answered(c, at), answer(KNOWLEDGE as never, final.transcript));
    assert.equal(responseEvents(c, at).filter((e) => e.type === 'response.created').length, 1, 'one response');
  });

  test('a client that commits without asking for an answer (dictation) is not answered, now or later', async () => {
    const before = { ...stats() };
    const c = await open();
    await appendAudio(c, speech24k('what are your opening hours', 500), 100, true);
    assert.ok(await until(() => stats().speculations > before.speculations));
    c.send({ type: 'input_audio_buffer.commit' });
    await c.next('conversation.item.input_audio_transcription.completed', undefined, 30000);
    const prepared = stats().speculations;
    await appendAudio(c, speech24k('where are you located', 500), 100, true);
    c.send({ type: 'input_audio_buffer.commit' });
    await c.next('conversation.item.input_audio_transcription.completed', (e) => /located/.test(e.transcript), 30000);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(responseEvents(c), []);
    assert.equal(stats().speculations, prepared, 'no speculation after the first unanswered commit');
    assert.equal(stats().audioDeltas, before.audioDeltas, 'no audio was sent');
  });
});
