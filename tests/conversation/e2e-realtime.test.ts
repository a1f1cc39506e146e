// @fixture question.wav
// transport="realtime" against the reference server's /v1/realtime (the built element, the fake
// microphone saying "what are your opening hours" from 1.5 s to 3.0 s).
import { expect } from '@esm-bundle/chai';
import { converse, truth, wer } from './e2e.js';

const realtimeStats = async () => (await (await fetch('/__reference-server/realtime')).json()) as { open: number; received: Record<string, number>; sessions: number };
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
/** The session's realtime link (a private field: the tests look inside). */
const linkOf = (c: { session: unknown }) => (c.session as { realtime?: { open: boolean; client?: { ws: WebSocket } } }).realtime;

describe('<voice-assistant transport="realtime">', () => {
  it('streams the question: partial transcripts before the final one, an audible streamed answer', async function () {
    this.timeout(90000);
    const t = (await truth('question.wav'))!;
    const before = await realtimeStats();
    const c = await converse({ mode: 'conversation', chat: 'remote', transport: 'realtime' });
    try {
      const final = await c.next('voice-transcript', (d) => d.final, 40000);
      const answer = await c.next('voice-response', (d) => d.final, 30000);
      const metrics = await c.next('voice-metrics', undefined, 30000);
      await c.next('voice-state', (d) => d.previous === 'speaking', 60000);
      const end = c.log.find((e) => e.type === 'voice-speech-end')!;
      const partials = c.log.filter((e) => e.type === 'voice-transcript' && !e.detail.final);
      const speechStart = c.session.capture.openedAt + t.segments[0]!.startMs;
      const decodes = ((await realtimeStats()) as unknown as { partialDecodeMs: number[] }).partialDecodeMs;
      console.log(
        `[realtime] partials ${JSON.stringify(partials.map((p) => [Math.round(p.at - speechStart), p.detail.text]))}; speech end event at ${Math.round(end.at - speechStart)} ms after the true onset; ` +
          `final "${final.detail.text}" (${final.detail.engine}); audible ${Math.round(c.probe.audibleMs)} ms; metrics ${JSON.stringify(metrics.detail)}; server partial re-decodes so far (ms) ${decodes.join(' ')}`,
      );
      expect(final.detail.engine).to.equal('realtime');
      expect(wer(t.text!, final.detail.text)).to.be.at.most(0.35);
      // Partials of this 1.5 s question depend on how fast the server re-decodes (seconds on a
      // loaded machine): they are asserted on a 12 s utterance in e2e-realtime-partials.test.ts.
      for (const p of partials) expect(p.at, 'partials come before the final transcript').to.be.below(final.at);
      expect(answer.detail.text).to.match(/open from nine in the morning/i);
      expect(c.log.filter((e) => e.type === 'voice-response' && !e.detail.final).length).to.be.greaterThan(3);
      expect(c.probe.audibleMs).to.be.within(4000, 20000);
      expect(c.probe.peakRms).to.be.above(0.03);
      expect(metrics.detail.speechEndToFirstAudioMs).to.be.a('number').at.least(0);
      // The first partial of the turn, measured from the VAD's speech start (as its event said).
      const during = partials.filter((p) => p.at < end.at);
      expect(metrics.detail.speechStartToFirstPartialMs).to.equal(during.length ? during[0]!.detail.latencyMs : undefined);
      const stats = await realtimeStats();
      expect(stats.received['input_audio_buffer.commit'] ?? 0).to.be.greaterThan(before.received['input_audio_buffer.commit'] ?? 0);
      expect(stats.received['input_audio_buffer.append'] ?? 0).to.be.greaterThan((before.received['input_audio_buffer.append'] ?? 0) + 40);
      expect(c.log.filter((e) => e.type === 'voice-error')).to.deep.equal([]);
    } finally {
      c.close();
    }
    // No socket left open after stop and removal.
    expect(linkOf(c)?.open).to.equal(false);
    expect((c.el as unknown as { debugHeld(): string[] }).debugHeld().filter((l) => /realtime/.test(l))).to.deep.equal([]);
    await sleep(300);
    expect((await realtimeStats()).open).to.equal(0);
  });

  it('a socket killed mid-turn: the utterance goes through http and the turn completes; the socket comes back', async function () {
    this.timeout(90000);
    const c = await converse({ mode: 'conversation', chat: 'remote', transport: 'realtime' });
    const circuit: string[] = [];
    c.el.addEventListener('voice-circuit', (e) => circuit.push((e as CustomEvent).detail.state));
    try {
      // Kill the socket while the user speaks: what was streamed is lost with it, the utterance is not.
      await c.next('voice-speech-start', undefined, 20000);
      await sleep(400);
      linkOf(c)!.client!.ws.close();
      const final = await c.next('voice-transcript', (d) => d.final, 40000);
      const answer = await c.next('voice-response', (d) => d.final, 30000);
      console.log(`[realtime fallback] "${final.detail.text}" by ${final.detail.engine}; circuit ${circuit.join(' -> ')}`);
      expect(final.detail.engine).to.equal('remote');
      expect(final.detail.text).to.match(/opening hours/);
      expect(answer.detail.text).to.match(/open from nine/i);
      for (let i = 0; i < 100 && !linkOf(c)!.open; i++) await sleep(100);
      expect(linkOf(c)!.open, 'the socket is back').to.equal(true);
      expect(circuit).to.deep.equal(['open', 'half-open', 'closed']);
      expect(c.log.filter((e) => e.type === 'voice-error')).to.deep.equal([]);
    } finally {
      c.close();
    }
  });

  it('barge-in cancels the response on the server and tells it what was heard', async function () {
    this.timeout(90000);
    const before = await realtimeStats();
    const c = await converse({ mode: 'conversation', chat: 'remote', transport: 'realtime' });
    try {
      await c.next('voice-state', (d) => d.state === 'speaking', 60000);
      await sleep(600);
      // The VAD confirming speech over the answer (the fixture has no second question): the
      // session's own barge-in path, as the capture hooks call it.
      const heardBefore = c.probe.audibleMs;
      const ms = (c.session as unknown as { bargeIn: { confirm(at?: number): number | undefined } }).bargeIn.confirm();
      expect(ms, 'something was interrupted').to.be.a('number');
      await sleep(60);
      expect(c.probe.audibleNow, 'silent at once').to.equal(false);
      await sleep(1500);
      const stats = (await realtimeStats()) as Awaited<ReturnType<typeof realtimeStats>> & { audioDeltasAfterCancel: number; lastTruncate?: { audio_end_ms: number } };
      console.log(`[realtime barge-in] heard ${Math.round(heardBefore)} ms; server truncate ${JSON.stringify(stats.lastTruncate)}; cancels ${stats.received['response.cancel']}`);
      expect(stats.received['response.cancel'] ?? 0).to.equal((before.received['response.cancel'] ?? 0) + 1);
      expect(stats.received['conversation.item.truncate'] ?? 0).to.equal((before.received['conversation.item.truncate'] ?? 0) + 1);
      expect(stats.audioDeltasAfterCancel).to.equal(0);
      expect(stats.lastTruncate!.audio_end_ms).to.be.within(300, 5000);
      expect(c.probe.audibleMs - heardBefore, 'no answer audio after the barge-in').to.be.below(100);
      expect(c.session.conversation.speaking).to.equal(false);
    } finally {
      c.close();
    }
  });

  it('a token the server refuses: a clear voice-error, and turns go through http', async function () {
    this.timeout(60000);
    const fake = ((await (await fetch('/__fake-api')).json()) as { url: string }).url;
    // The fake API's tokens are not the reference server's: the socket is refused.
    const c = await converse({ mode: 'dictation', transport: 'realtime', 'token-url': `${fake}/token` });
    try {
      const err = await c.next('voice-error', undefined, 20000);
      console.log(`[realtime token] ${err.detail.code}: ${err.detail.message}`);
      expect(err.detail.code).to.equal('engine-failed');
      expect(err.detail.message).to.match(/refused the session: The token is not valid\. \(token_invalid\)/);
      expect(linkOf(c)!.open).to.equal(false);
    } finally {
      c.close();
    }
  });
});
