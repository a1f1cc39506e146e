import { expect } from '@esm-bundle/chai';
import { decodeWav } from '../../src/audio/wav.js';
import { readSse } from '../../src/internal/sse-parser.js';
import { FAULT_ORIGIN, faultCount, resetFaults, setSwitch } from './fault-origin.js';

const post = (path: string, body: BodyInit = '{}', init: RequestInit = {}) =>
  fetch(`${FAULT_ORIGIN}${path}`, { method: 'POST', body, ...init });

describe('fault server (tests/fakes/fault-server.mjs)', () => {
  beforeEach(resetFaults);

  it('answers the Remote protocol normally: transcript, a 16 kHz WAV, an SSE chat', async () => {
    expect(await (await post('/v1/audio/transcriptions', new FormData())).json()).to.include({ text: 'turn on the lights' });
    const audio = decodeWav(await (await post('/v1/audio/speech')).arrayBuffer());
    expect(audio.sampleRate).to.equal(16000);
    expect(audio.samples.length).to.equal(4800);
    const res = await post('/v1/chat/completions', JSON.stringify({ stream: true }));
    expect(res.headers.get('content-type')).to.contain('text/event-stream');
    const data: string[] = [];
    for await (const e of readSse(res.body!, new AbortController().signal)) data.push(e.data);
    expect(data.at(-1)).to.equal('[DONE]');
    expect(data.length).to.equal(4);
  });

  it('injects status faults, with Retry-After on 503 and 429 readable across origins', async () => {
    const r503 = await post('/fault/503/v1/audio/speech', '{}', { headers: { 'x-retry-after': '7' } });
    expect([r503.status, r503.headers.get('retry-after')]).to.deep.equal([503, '7']);
    const r429 = await post('/fault/429/v1/audio/speech?retry-after=2');
    expect([r429.status, r429.headers.get('retry-after')]).to.deep.equal([429, '2']);
    expect((await post('/fault/500/v1/audio/speech')).status).to.equal(500);
    expect((await post('/v1/audio/speech', '{}', { headers: { 'x-fault': '400' } })).status).to.equal(400);
  });

  it('fails the first N requests of a path with <kind>x<N>, then answers', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post('/t/n/fault/500x2/v1/audio/transcriptions', new FormData())).status);
    expect(statuses).to.deep.equal([500, 500, 200]);
    expect(await faultCount('/t/n/')).to.equal(3);
  });

  it('hangs, resets, and sends malformed bodies, wrong types and truncated audio', async () => {
    const hang = await post('/fault/hang/v1/audio/speech', '{}', { signal: AbortSignal.timeout(300) }).catch((e) => e.name);
    expect(hang).to.equal('TimeoutError');
    expect(await post('/fault/reset/v1/audio/speech').catch((e) => e.name)).to.equal('TypeError');
    expect(await (await post('/fault/malformed/v1/audio/transcriptions')).json().catch((e) => e.name)).to.equal('SyntaxError');
    const html = await post('/fault/content-type/v1/audio/speech');
    expect([html.status, html.headers.get('content-type')]).to.deep.equal([200, 'text/html']);
    const truncated = await (await post('/fault/truncated/v1/audio/speech')).arrayBuffer();
    const v = new DataView(truncated);
    expect(v.getUint32(40, true)).to.equal(32000);
    expect(truncated.byteLength - 44).to.equal(3200);
  });

  it('trickles an SSE stream and stops mid-way (silence, or a cut connection)', async () => {
    const res = await post('/fault/trickle/v1/chat/completions', JSON.stringify({ stream: true }));
    const ac = new AbortController();
    const data: string[] = [];
    const done = (async () => {
      for await (const e of readSse(res.body!, ac.signal)) data.push(e.data);
    })().catch((e) => e.name);
    await new Promise((r) => setTimeout(r, 600));
    expect(data.length).to.equal(2);
    ac.abort();
    await done;
    const cut = await post('/fault/cut/v1/chat/completions', JSON.stringify({ stream: true }));
    const got: string[] = [];
    const end = await (async () => {
      for await (const e of readSse(cut.body!, new AbortController().signal)) got.push(e.data);
      return 'ended';
    })().catch((e) => e.name);
    expect(got.length).to.equal(2);
    expect(got).to.not.include('[DONE]');
    expect(end).to.be.oneOf(['TypeError', 'ended']);
  });

  it('switches a named endpoint between down and up, and counts without preflights', async () => {
    await setSwitch('s1', '503');
    expect((await post('/switch/s1/v1/audio/speech', '{}', { headers: { 'content-type': 'application/json' } })).status).to.equal(503);
    await setSwitch('s1', 'ok');
    expect((await post('/switch/s1/v1/audio/speech', '{}', { headers: { 'content-type': 'application/json' } })).status).to.equal(200);
    expect(await faultCount('/switch/s1/')).to.equal(2);
  });
});
