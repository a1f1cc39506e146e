import { expect } from '@esm-bundle/chai';
import { ASSET_CACHE } from '../../src/internal/verified-asset.js';
import { CDN_ORIGIN } from '../helpers/origins.js';
import { gesture } from '../helpers/gesture.js';

// The first activation downloads the VAD model (2.3 MB) and the ONNX runtime: the panel shows a
// progress bar while it does, and removes it afterwards.
describe('<voice-assistant> download progress', () => {
  it('shows a progress bar in the panel while the model downloads, then removes it', async function () {
    this.timeout(60000);
    // A first visit: no verified copy kept in Cache Storage by an earlier test.
    await caches.delete(ASSET_CACHE);
    await import(/* @vite-ignore */ `${CDN_ORIGIN}/voice-assistant.js`);
    const el = document.createElement('voice-assistant') as HTMLElement & { start(): Promise<void>; stop(): void; state: string };
    el.setAttribute('preload', 'none');
    el.setAttribute('variant', 'inline');
    el.setAttribute('mode', 'dictation');
    document.body.append(el);
    // What the download reports to the panel (the bar is shown for as long as a report stands;
    // from the HTTP cache that can be ~35 ms, too short to catch reliably by observing the DOM).
    const reports: ({ label: string; loaded: number; total: number } | null)[] = [];
    const host = el as unknown as { showProgress(p: unknown): void };
    const show = host.showProgress.bind(el);
    host.showProgress = (p) => (reports.push(p as (typeof reports)[number]), show(p));
    try {
      await gesture();
      await el.start();
      expect(el.state).to.equal('listening');
      await (el as unknown as { session: { capture: { vad: { ready: Promise<unknown> } } } }).session.capture.vad.ready;
      await new Promise((r) => setTimeout(r, 50));
      const shown = reports.filter((p) => p);
      expect(shown.length, 'progress reported while downloading').to.be.greaterThan(0);
      expect(Math.max(...shown.map((p) => p!.total))).to.be.greaterThan(1_000_000);
      expect(reports.at(-1), 'cleared once loaded').to.equal(null);
      expect(el.shadowRoot!.querySelector('progress'), 'gone once loaded').to.equal(null);
      // While a report stands, the panel shows it as a labelled bar.
      show({ label: 'the speech detector', loaded: 500, total: 1000 });
      await (el as unknown as { updateComplete: Promise<unknown> }).updateComplete;
      const bar = el.shadowRoot!.querySelector('progress')!;
      expect(bar.getAttribute('aria-label')).to.equal('Downloading the speech detector');
      expect([bar.max, bar.value]).to.deep.equal([1000, 500]);
      show(null);
    } finally {
      el.stop();
      el.remove();
    }
  });
});
