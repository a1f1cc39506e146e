// @fixture long-utterance.wav
// transport="realtime": partial transcripts while the user is still speaking (a 12 s utterance
// from 2.0 s to 14.1 s), and the final transcript of the whole.
import { expect } from '@esm-bundle/chai';
import { converse, truth, wer } from './e2e.js';

describe('<voice-assistant transport="realtime"> partial transcripts', () => {
  it('fires voice-transcript final:false while the user speaks, growing, then the final transcript', async function () {
    this.timeout(120000);
    const t = (await truth('long-utterance.wav'))!;
    const c = await converse({ mode: 'dictation', transport: 'realtime' });
    // The panel's user lines as each partial is shown: the live caption (class "partial").
    const userLines = () => [...c.el.shadowRoot!.querySelectorAll('.transcript li.user')].map((li) => `${li.className}: ${li.textContent}`);
    const captions: { text: string; lines: string[] }[] = [];
    c.el.addEventListener('voice-transcript', async (e) => {
      const { final, text } = (e as CustomEvent).detail;
      if (final) return;
      await (c.el as unknown as { updateComplete: Promise<unknown> }).updateComplete;
      captions.push({ text, lines: userLines() });
    });
    try {
      const final = await c.next('voice-transcript', (d) => d.final, 90000);
      const end = c.log.find((e) => e.type === 'voice-speech-end')!;
      const partials = c.log.filter((e) => e.type === 'voice-transcript' && !e.detail.final);
      const onset = c.session.capture.openedAt + t.segments[0]!.startMs;
      console.log(
        `[realtime partials] ${partials.length} partials, first ${Math.round(partials[0]?.at - onset)} ms after the true onset, ` +
          `${partials.filter((p) => p.at < end.at).length} before the end of speech; WER of the last ${wer(t.text!, partials.at(-1)?.detail.text ?? '').toFixed(2)}; ` +
          `final (${Math.round(final.at - end.at)} ms after the speech end event) WER ${wer(t.text!, final.detail.text).toFixed(2)}: "${final.detail.text}"`,
      );
      const during = partials.filter((p) => p.at < end.at);
      // How many depends on how fast the server re-decodes (seconds each on a loaded machine).
      expect(during.length, 'partials before the end of speech').to.be.at.least(1);
      for (const p of partials) expect(p.detail).to.include({ final: false, engine: 'realtime' });
      expect(during[0]!.detail.text.trim().length, 'a partial holds words').to.be.greaterThan(0);
      expect(final.detail.engine).to.equal('realtime');
      expect(wer(t.text!, final.detail.text)).to.be.at.most(0.35);
      expect(c.log.filter((e) => e.type === 'voice-error')).to.deep.equal([]);
      // Live captions: one user line, updated in place with each partial, then replaced by the final.
      expect(captions.length).to.equal(partials.length);
      for (const { text, lines } of captions) expect(lines).to.deep.equal([`user partial: ${text}`]);
      await (c.el as unknown as { updateComplete: Promise<unknown> }).updateComplete;
      expect(userLines()).to.deep.equal([`user: ${final.detail.text}`]);
      // Dictation: no answer was asked for.
      const stats = (await (await fetch('/__reference-server/realtime')).json()) as { received: Record<string, number> };
      console.log(`[realtime partials] server received ${JSON.stringify(stats.received)}`);
      expect(c.log.filter((e) => e.type === 'voice-response')).to.deep.equal([]);
    } finally {
      c.close();
    }
  });
});
