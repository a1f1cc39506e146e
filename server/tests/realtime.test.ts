// The realtime endpoint (/v1/realtime) with a plain WebSocket client: credentials, every client
// event of the subset, malformed and unknown events, oversized appends, cancel.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningServer } from '../src/server.ts';
import { signPayload } from '../src/tokens/jwt.ts';
import { KNOWLEDGE, entryAnswer, getToken, start, wer } from './helpers.ts';
import { appendAudio, connect, speech24k, tokenProtocols, type Client } from './realtime-client.ts';

const SECRET = 'realtime-test-secret';

describe('/v1/realtime', () => {
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
    server = await start({ tokenSecret: SECRET, chatChunkDelayMs: 5 });
    await server.recogniserReady();
    token = await getToken(server.url);
  });
  after(async () => {
    for (const c of clients) c.close();
    await server.close();
  });

  test('a valid token in the subprotocol opens a session; "realtime" is the protocol chosen', async () => {
    const c = await open();
    assert.equal(c.ws.protocol, 'realtime', 'the key subprotocol is never echoed back');
    const created = c.events[0]!;
    assert.equal(created.type, 'session.created');
    assert.equal(created.session.audio.input.format.rate, 24000);
    assert.equal(created.session.audio.input.turn_detection, null);
  });

  test('missing, invalid and expired tokens get an error event naming the problem and close 1008', async () => {
    const now = Date.now();
    const origin = new URL(server.url).origin;
    const expired = await signPayload(SECRET, { origin, jti: 'x', iat: Math.floor(now / 1000) - 600, exp: Math.floor(now / 1000) - 1 });
    for (const [protocols, code] of [
      [['realtime'], 'token_missing'],
      [tokenProtocols('not.a-token'), 'token_invalid'],
      [tokenProtocols(expired), 'token_expired'],
    ] as const) {
      const c = await connect(server.url, [...protocols]);
      const err = await c.next('error');
      assert.equal(err.error.code, code);
      assert.match(err.error.message, /token/i);
      assert.deepEqual(await c.closed, { code: 1008, reason: code });
      assert.equal(c.events.some((e) => e.type === 'session.created'), false, `${code}: no session`);
    }
    assert.equal(server.realtimeStats().refused.token_expired, 1);
  });

  test('session.update sets voice and instructions; turn detection and other rates are refused', async () => {
    const c = await open();
    c.send({ type: 'session.update', session: { type: 'realtime', instructions: 'Be brief.', audio: { output: { voice: 'slt' }, input: { turn_detection: null } } } });
    const updated = await c.next('session.updated');
    assert.equal(updated.session.instructions, 'Be brief.');
    assert.equal(updated.session.audio.output.voice, 'slt');
    c.send({ type: 'session.update', event_id: 'ev1', session: { audio: { input: { turn_detection: { type: 'server_vad' } } } } });
    const err = await c.next('error', (e) => e.error.event_id === 'ev1');
    assert.equal(err.error.code, 'invalid_value');
    assert.equal(err.error.param, 'session.audio.input.turn_detection');
    c.send({ type: 'session.update', event_id: 'ev2', session: { audio: { input: { format: { type: 'audio/pcm', rate: 16000 } } } } });
    assert.match((await c.next('error', (e) => e.error.event_id === 'ev2')).error.message, /24000/);
  });

  test('malformed JSON, non-objects and unknown events get an error event, and the session goes on', async () => {
    const c = await open();
    c.ws.send('{"type": "session.update",');
    assert.equal((await c.next('error')).error.code, 'invalid_json');
    c.ws.send('[1, 2]');
    await c.next('error', (e) => e.error.code === 'invalid_event');
    c.send({ type: 'conversation.item.retrieve.nonsense', event_id: 'u1' });
    const unknown = await c.next('error', (e) => e.error.event_id === 'u1');
    assert.equal(unknown.error.code, 'unknown_event');
    assert.match(unknown.error.message, /conversation\.item\.retrieve\.nonsense/);
    c.send({ type: 'session.update', session: { instructions: 'still here' } });
    assert.equal((await c.next('session.updated')).session.instructions, 'still here');
    assert.equal(c.ws.readyState, c.ws.OPEN);
  });

  test('an oversized append gets a clear error and the buffer is kept; commit of too little is refused', async () => {
    const c = await open();
    c.send({ type: 'input_audio_buffer.commit', event_id: 'c0' });
    assert.equal((await c.next('error', (e) => e.error.event_id === 'c0')).error.code, 'input_audio_buffer_commit_empty');
    c.send({ type: 'input_audio_buffer.append', audio: Buffer.alloc(4800).toString('base64') });
    c.send({ type: 'input_audio_buffer.append', event_id: 'big', audio: Buffer.alloc(1024 * 1024 + 4800).toString('base64') });
    const err = await c.next('error', (e) => e.error.event_id === 'big');
    assert.equal(err.error.code, 'audio_too_large');
    assert.match(err.error.message, /at most 1048576 bytes/);
    c.send({ type: 'input_audio_buffer.append', event_id: 'odd', audio: Buffer.alloc(3).toString('base64') });
    assert.equal((await c.next('error', (e) => e.error.event_id === 'odd')).error.code, 'invalid_value');
    // The 100 ms appended before the refused ones are still there: the commit goes through.
    c.send({ type: 'input_audio_buffer.commit' });
    const committed = await c.next('input_audio_buffer.committed');
    assert.match(committed.item_id, /^item_/);
    assert.equal(c.ws.readyState, c.ws.OPEN);
  });

  test('clear empties the buffer', async () => {
    const c = await open();
    c.send({ type: 'input_audio_buffer.append', audio: Buffer.alloc(9600).toString('base64') });
    c.send({ type: 'input_audio_buffer.clear' });
    await c.next('input_audio_buffer.cleared');
    c.send({ type: 'input_audio_buffer.commit', event_id: 'c1' });
    assert.equal((await c.next('error', (e) => e.error.event_id === 'c1')).error.code, 'input_audio_buffer_commit_empty');
  });

  test('a spoken question: partials while appending, the final transcript, a streamed answer with audio', async () => {
    const c = await open();
    const question = 'what are your opening hours on saturday';
    const pcm = speech24k(question);
    await appendAudio(c, pcm, 100, true);
    const partial = await c.next('conversation.item.input_audio_transcription.delta');
    assert.ok(partial.transcript.length > 0, 'a partial hypothesis');
    c.send({ type: 'input_audio_buffer.commit' });
    const committed = await c.next('input_audio_buffer.committed');
    assert.ok(c.events.indexOf(partial) < c.events.indexOf(committed), 'the partial came before the commit');
    c.send({ type: 'response.create' });
    const done = await c.next('response.done', () => true, 30000);
    const final = c.events.find((e) => e.type === 'conversation.item.input_audio_transcription.completed')!;
    assert.ok(c.events.indexOf(final) >= 0 && c.events.indexOf(final) < c.events.indexOf(done), 'the final transcript comes before response.done');
    assert.equal(final.item_id, committed.item_id);
    assert.ok(wer(question, final.transcript) <= 0.35, `final transcript "${final.transcript}"`);
    assert.equal(done.response.status, 'completed');
    const text = c.events.filter((e) => e.type === 'response.output_audio_transcript.delta').map((e) => e.delta).join('');
    assert.equal(text, entryAnswer('hours'));
    const audio = c.events.filter((e) => e.type === 'response.output_audio.delta').map((e) => Buffer.from(e.delta, 'base64'));
    const seconds = audio.reduce((n, b) => n + b.length, 0) / 48000;
    assert.ok(seconds > 2 && seconds < 30, `${seconds} s of answer audio`);
    const loud = audio.some((b) => b.length > 1 && Math.max(...new Int16Array(b.buffer, b.byteOffset, b.length >> 1).map(Math.abs)) > 3000);
    assert.ok(loud, 'the answer audio is audible');
    const firstAudio = c.events.findIndex((e) => e.type === 'response.output_audio.delta');
    assert.ok(firstAudio < c.events.findIndex((e) => e.type === 'response.output_audio_transcript.done'), 'audio streams before the text is done');
    assert.deepEqual(done.response.output[0].content[0].transcript, entryAnswer('hours'));
  });

  test('response.cancel stops the audio at once; truncate records what was heard', async () => {
    const c = await open();
    await appendAudio(c, speech24k('where are you located'));
    c.send({ type: 'input_audio_buffer.commit' });
    c.send({ type: 'response.create' });
    c.send({ type: 'response.create', event_id: 'second' });
    assert.equal((await c.next('error', (e) => e.error.event_id === 'second')).error.code, 'conversation_already_has_active_response');
    const first = await c.next('response.output_audio.delta', () => true, 30000);
    const before = server.realtimeStats().cancelled;
    c.send({ type: 'response.cancel' });
    const done = await c.next('response.done');
    assert.equal(done.response.status, 'cancelled');
    const at = c.events.length;
    await new Promise((ok) => setTimeout(ok, 1500));
    assert.equal(c.events.slice(at).filter((e) => e.type.startsWith('response.')).length, 0, 'nothing of the response after response.done');
    assert.equal(server.realtimeStats().audioDeltasAfterCancel, 0);
    assert.equal(server.realtimeStats().cancelled, before + 1);
    c.send({ type: 'conversation.item.truncate', item_id: first.item_id, content_index: 0, audio_end_ms: 350 });
    const truncated = await c.next('conversation.item.truncated');
    assert.equal(truncated.audio_end_ms, 350);
    assert.deepEqual(server.realtimeStats().lastTruncate, { item_id: first.item_id, audio_end_ms: 350 });
    c.send({ type: 'conversation.item.truncate', event_id: 't2', item_id: 'item_nope', content_index: 0, audio_end_ms: 1 });
    assert.equal((await c.next('error', (e) => e.error.event_id === 't2')).error.code, 'item_not_found');
    c.send({ type: 'response.cancel', event_id: 'none' });
    assert.equal((await c.next('error', (e) => e.error.event_id === 'none')).error.code, 'response_cancel_not_active');
  });

  test('text-only responses stream response.output_text.delta', async () => {
    const c = await open();
    c.send({ type: 'session.update', session: { output_modalities: ['text'] } });
    await c.next('session.updated');
    await appendAudio(c, speech24k('hello'));
    c.send({ type: 'input_audio_buffer.commit' });
    c.send({ type: 'response.create' });
    const done = await c.next('response.done', () => true, 30000);
    assert.equal(done.response.status, 'completed');
    const deltas = c.events.filter((e) => e.type === 'response.output_text.delta');
    assert.ok(deltas.length > 1, 'streamed in pieces');
    assert.ok(KNOWLEDGE.entries.some((e) => e.answer === deltas.map((d) => d.delta).join('')) || deltas.map((d) => d.delta).join('') === KNOWLEDGE.fallback);
    assert.equal(c.events.some((e) => e.type === 'response.output_audio.delta'), false);
  });

  test('sockets are counted open and closed', async () => {
    await new Promise((ok) => setTimeout(ok, 100));
    const before = server.realtimeStats().open;
    const c = await open();
    assert.equal(server.realtimeStats().open, before + 1);
    c.close();
    await c.closed;
    await new Promise((ok) => setTimeout(ok, 100));
    assert.equal(server.realtimeStats().open, before);
  });
});
