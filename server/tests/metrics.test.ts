// GET /metrics (Prometheus text format, read with a real parser), POST /v1/metrics (widget
// beacons) and GET /healthz readiness, on a real server with the real engines.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { RunningServer } from '../src/server.ts';
import { getToken, postJson, start } from './helpers.ts';
import { appendAudio, connect, speech24k, tokenProtocols } from './realtime-client.ts';
import { parsePrometheusText, sampleValue, type Family } from './prometheus-text.ts';

const BEACON = JSON.parse(readFileSync(new URL('../../tests/fixtures/metrics-beacon.json', import.meta.url), 'utf8'));

async function scrape(base: string): Promise<Map<string, Family>> {
  const r = await fetch(`${base}/metrics`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return await parsePrometheusText(await r.text());
}

type Families = Map<string, Family>;
const value = sampleValue;
/** Observations of a histogram (its `_count` sample) for `labels`. */
const count = (f: Families, name: string, labels: Record<string, string> = {}) => sampleValue(f, `${name}_count`, labels);
const bucket = (f: Families, name: string, le: string, labels: Record<string, string> = {}) => sampleValue(f, `${name}_bucket`, { ...labels, le });

describe('/metrics', () => {
  let server: RunningServer;
  before(async () => {
    server = await start();
  });
  after(async () => {
    await server.close();
  });

  test('is valid Prometheus text with process metrics, engine pool gauges and the documented families', async () => {
    const f = await scrape(server.url);
    // The parser names counter families without their _total suffix.
    for (const name of ['voice_server_process_cpu_user_seconds', 'voice_server_nodejs_heap_size_used_bytes', 'voice_server_engine_pool_active', 'voice_server_engine_pool_queued', 'voice_server_engine_pool_size']) {
      assert.ok(f.has(name), `${name} present`);
    }
    assert.equal(f.get('voice_server_request_duration_seconds')?.type, 'histogram');
    assert.equal(f.get('voice_server_requests')?.type, 'counter');
    assert.equal(f.get('voice_widget_stage_seconds')?.type, 'histogram');
    assert.equal(value(f, 'voice_server_engine_pool_size'), 2);
  });

  test('request counters and latency histograms move after a real turn (token, transcription of real speech, chat, speech)', async () => {
    const before = await scrape(server.url);
    const token = await getToken(server.url);
    const auth = { Authorization: `Bearer ${token}` };
    const speech = await postJson(server.url, '/v1/audio/speech', token, { input: 'What are your opening hours?', voice: 'kal16', response_format: 'wav' });
    assert.equal(speech.status, 200);
    const wav = Buffer.from(await speech.arrayBuffer());
    const form = new FormData();
    form.append('file', new Blob([wav], { type: 'audio/wav' }), 'speech.wav');
    const stt = await fetch(`${server.url}/v1/audio/transcriptions`, { method: 'POST', headers: auth, body: form });
    assert.equal(stt.status, 200);
    const chat = await postJson(server.url, '/v1/chat/completions', token, { messages: [{ role: 'user', content: 'opening hours' }], stream: true });
    assert.equal(chat.status, 200);
    await chat.text();
    // The answer's close is counted when the socket says so: give it a moment.
    await new Promise((r) => setTimeout(r, 50));
    const after = await scrape(server.url);
    for (const route of ['speech', 'transcription', 'chat']) {
      const labels = { route, method: 'POST', status: '200' };
      assert.equal(value(after, 'voice_server_requests_total', labels) - value(before, 'voice_server_requests_total', labels), 1, `${route} counted once`);
      assert.equal(count(after, 'voice_server_request_duration_seconds', { route }) - count(before, 'voice_server_request_duration_seconds', { route }), 1, `${route} latency observed`);
      assert.ok(sampleValue(after, 'voice_server_request_duration_seconds_sum', { route }) > 0, `${route} latency sum > 0`);
      assert.equal(bucket(after, 'voice_server_request_duration_seconds', '+Inf', { route }), count(after, 'voice_server_request_duration_seconds', { route }));
    }
    assert.ok(value(after, 'voice_server_requests_total', { route: 'token', method: 'POST', status: '200' }) >= 1);
  });

  test('a widget beacon (text/plain, as sendBeacon sends it) moves the per-stage histograms and counters; a bad one is refused and counted', async () => {
    const before = await scrape(server.url);
    const beacon = { ...BEACON, errors: { timeout: 2 }, failovers: { 'stt:remote': 1 }, circuits: { 'remote:stt:open': 1 }, rateLimited: { chat: 3 } };
    const r = await fetch(`${server.url}/v1/metrics`, { method: 'POST', headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, body: JSON.stringify(beacon) });
    assert.equal(r.status, 204);
    const bad = await fetch(`${server.url}/v1/metrics`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ ...BEACON, transcript: 'what are your opening hours' }) });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: { message: string } }).error.message, /schema/);
    const after = await scrape(server.url);
    const moved = (name: string, labels: Record<string, string>) => value(after, name, labels) - value(before, name, labels);
    for (const stage of ['firstAudioMs', 'transcriptionMs', 'endpointMs', 'clickToListeningMs']) {
      assert.equal(count(after, 'voice_widget_stage_seconds', { stage }) - count(before, 'voice_widget_stage_seconds', { stage }), 1, stage);
    }
    assert.equal(count(after, 'voice_widget_stage_seconds', { stage: 'assetMs' }) - count(before, 'voice_widget_stage_seconds', { stage: 'assetMs' }), 8);
    // firstAudioMs 2,092 ms: in the 3 s bucket, not in the 2 s one.
    assert.equal(bucket(after, 'voice_widget_stage_seconds', '2', { stage: 'firstAudioMs' }), 0);
    assert.equal(bucket(after, 'voice_widget_stage_seconds', '3', { stage: 'firstAudioMs' }), 1);
    assert.equal(moved('voice_widget_beacons_total', { reason: 'pagehide' }), 1);
    assert.equal(moved('voice_widget_beacons_total', { reason: 'invalid' }), 1);
    assert.equal(moved('voice_widget_turns_total', {}), 1);
    assert.equal(moved('voice_widget_errors_total', { code: 'timeout' }), 2);
    assert.equal(moved('voice_widget_failovers_total', { operation: 'stt', engine: 'remote' }), 1);
    assert.equal(moved('voice_widget_circuit_transitions_total', { engine: 'remote', operation: 'stt', state: 'open' }), 1);
    assert.equal(moved('voice_widget_rate_limited_total', { operation: 'chat' }), 3);
    assert.equal(count(after, 'voice_widget_web_vital_seconds', { name: 'LCP' }) - count(before, 'voice_widget_web_vital_seconds', { name: 'LCP' }), 1);
    const recent = (await (await fetch(`${server.url}/v1/metrics`)).json()) as { beacons: { stages: Record<string, { p50: number }>; timeline: unknown[] }[] };
    const last = recent.beacons.at(-1)!;
    assert.equal(last.stages.firstAudioMs!.p50, 2092.5);
    assert.deepEqual(last.timeline[0], ['loading', 0]);
  });

  test('label values from beacons are checked and capped: a sender cannot grow the series without bound', async () => {
    const failovers: Record<string, number> = { 'stt:bad label"}': 1 };
    for (let i = 0; i < 300; i++) failovers[`stt:engine-${i}`] = 1;
    const r = await fetch(`${server.url}/v1/metrics`, { method: 'POST', body: JSON.stringify({ ...BEACON, failovers }) });
    assert.equal(r.status, 204);
    const f = await scrape(server.url);
    const series = f.get('voice_widget_failovers')!.samples.filter((s) => s.name === 'voice_widget_failovers_total');
    assert.ok(series.length <= 201, `${series.length} series`);
    assert.ok(series.some((m) => m.labels.engine === 'other'));
    assert.ok(series.some((m) => m.labels.engine === 'invalid'), 'a label value with quotes is replaced');
  });

  for (const fallback of [true, false]) {
    test(`upstream failures are counted by route (offline fallback ${fallback ? 'on' : 'off'})`, async () => {
      const broken = await start({ upstream: { baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'k' }, upstreamFallback: fallback });
      try {
        const token = await getToken(broken.url);
        const r = await postJson(broken.url, '/v1/chat/completions', token, { messages: [{ role: 'user', content: 'hi' }], stream: true });
        const status = fallback ? 200 : 502;
        assert.equal(r.status, status);
        if (fallback) assert.equal(r.headers.get('x-engine'), 'offline');
        await r.text();
        const f = await scrape(broken.url);
        assert.equal(value(f, 'voice_server_upstream_failures_total', { route: 'chat', reason: 'upstream' }), 1);
        assert.equal(value(f, 'voice_server_requests_total', { route: 'chat', method: 'POST', status: String(status) }), 1);
      } finally {
        await broken.close();
      }
    });
  }

  test('/healthz reports each engine\'s readiness', async () => {
    await server.recogniserReady();
    const h = (await (await fetch(`${server.url}/healthz`)).json()) as { engines: Record<string, { engine: string; ready: boolean }> };
    assert.deepEqual(Object.keys(h.engines).sort(), ['chat', 'speech', 'transcription']);
    assert.equal(h.engines.speech!.ready, true);
    assert.equal(h.engines.transcription!.ready, true);
    assert.equal(h.engines.chat!.engine, 'demo-knowledge-responder');
  });

  test('a realtime turn moves the realtime families: sessions open and by kind, client events, the answer prepared in the pause, stage latencies', async () => {
    const token = await getToken(server.url);
    const c = await connect(server.url, tokenProtocols(token));
    await c.next('session.created');
    await appendAudio(c, speech24k('what are your opening hours', 500), 100, true);
    c.send({ type: 'input_audio_buffer.commit' });
    c.send({ type: 'response.create' });
    c.send({ type: 'bogus.event' });
    await c.next('response.output_audio.delta', undefined, 30000);
    await c.next('conversation.item.input_audio_transcription.completed', undefined, 30000);
    const during = await scrape(server.url);
    assert.equal(value(during, 'voice_server_realtime_sessions_open'), 1);
    assert.equal(value(during, 'voice_server_realtime_sessions_total', { kind: 'accepted' }), 1);
    assert.equal(value(during, 'voice_server_realtime_client_events_total', { type: 'input_audio_buffer.commit' }), 1);
    assert.equal(value(during, 'voice_server_realtime_client_events_total', { type: 'response.create' }), 1);
    assert.equal(value(during, 'voice_server_realtime_client_events_total', { type: 'other' }), 1, 'an unknown type adds no series of its own');
    assert.ok(value(during, 'voice_server_realtime_client_events_total', { type: 'input_audio_buffer.append' }) >= 15);
    assert.equal(value(during, 'voice_server_realtime_speculations_total', { outcome: 'adopted' }), 1);
    assert.equal(count(during, 'voice_server_realtime_stage_seconds', { stage: 'commit_to_final_transcript' }), 1);
    assert.equal(count(during, 'voice_server_realtime_stage_seconds', { stage: 'create_to_first_audio' }), 1);
    // The adopted answer's first audio left at once: within the first bucket that holds it.
    console.log(`[metrics] create -> first audio <= 10 ms: ${bucket(during, 'voice_server_realtime_stage_seconds', '0.01', { stage: 'create_to_first_audio' })}; commit -> final <= 250 ms: ${bucket(during, 'voice_server_realtime_stage_seconds', '0.25', { stage: 'commit_to_final_transcript' })}`);
    c.close();
    await c.closed;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(value(await scrape(server.url), 'voice_server_realtime_sessions_open'), 0);
  });
});
