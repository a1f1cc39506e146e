// @fixture barge-in.wav
// transport="realtime", a spoken barge-in: the first question's answer is playing when the user
// says "stop, where are you located"; the output goes silent, the server is told (response.cancel,
// no audio after it, conversation.item.truncate with what was heard) and the new question is
// answered. The reference server's own recogniser hears both questions.
import { expect } from '@esm-bundle/chai';
import { converse, truth } from './e2e.js';

interface Stats {
  received: Record<string, number>;
  audioDeltasAfterCancel: number;
  cancelled: number;
  lastTruncate?: { item_id: string; audio_end_ms: number };
}
const stats = async () => (await (await fetch('/__reference-server/realtime')).json()) as Stats;

describe('<voice-assistant transport="realtime"> spoken barge-in', () => {
  it('silences the answer, cancels it on the server with what was heard, and answers the new question', async function () {
    this.timeout(120000);
    const t = (await truth('barge-in.wav'))!;
    const before = await stats();
    const c = await converse({ mode: 'conversation', chat: 'remote', transport: 'realtime' });
    try {
      await c.next('voice-state', (d) => d.state === 'speaking', 60000);
      const metrics = await c.next('voice-metrics', (d) => d.bargeInMs !== undefined, 60000);
      const heardAtBargeIn = c.probe.audibleMs;
      const answer = await c.next('voice-response', (d) => d.final && /harbour street/i.test(d.text), 60000);
      const after = await stats();
      const second = t.segments[1]!;
      const onsetToConfirmed = metrics.at - (c.session.capture.openedAt + second.startMs);
      console.log(
        `[realtime spoken barge-in] bargeInMs ${metrics.detail.bargeInMs}; true onset -> barge-in confirmed ${Math.round(onsetToConfirmed)} ms; ` +
          `heard ${Math.round(heardAtBargeIn)} ms of the first answer (audible), ${Math.round(metrics.at - c.probe.onsets[0]!)} ms since its first sound; server truncate ${JSON.stringify(after.lastTruncate)}; ` +
          `transcripts ${JSON.stringify(c.log.filter((e) => e.type === "voice-transcript" && e.detail.final).map((e) => [e.detail.text, e.detail.engine, Math.round(e.at - c.session.capture.openedAt)]))}; states ${c.log.filter((e) => e.type === "voice-state").map((e) => e.detail.state + "@" + Math.round(e.at - c.session.capture.openedAt)).join(" ")}`,
      );
      expect(metrics.detail.bargeInMs).to.be.a('number').below(300);
      expect((after.received['response.cancel'] ?? 0) - (before.received['response.cancel'] ?? 0), 'response.cancel sent').to.equal(1);
      expect(after.cancelled - before.cancelled, 'the server ended the response cancelled').to.equal(1);
      expect(after.audioDeltasAfterCancel, 'no audio after the cancel').to.equal(before.audioDeltasAfterCancel);
      expect(after.lastTruncate, 'truncated').to.not.equal(undefined);
      // What was heard, as the server was told: the playback position at the barge-in, i.e. at
      // least the audible part the probe counted (it skips the answer's quiet stretches) and at
      // most the wall time from the answer's first sound to the barge-in, plus the quiet lead-in
      // of Flite's audio before that first sound (200-250 ms measured).
      const played = metrics.at - c.probe.onsets[0]!;
      expect(after.lastTruncate!.audio_end_ms).to.be.within(heardAtBargeIn - 50, played + 400);
      // The first answer never completed; the second question was answered.
      const finals = c.log.filter((e) => e.type === 'voice-response' && e.detail.final).map((e) => e.detail.text);
      expect(finals).to.deep.equal([answer.detail.text]);
      expect(c.log.filter((e) => e.type === 'voice-error')).to.deep.equal([]);
    } finally {
      c.close();
    }
  });
});
