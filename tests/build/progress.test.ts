import { expect } from '@esm-bundle/chai';
import { ASSET_CACHE } from '../../src/internal/verified-asset.js';
import { CDN_ORIGIN } from '../helpers/origins.js';

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
    const seen: { label: string; max: number; value: number }[] = [];
    const observer = new MutationObserver(() => {
      const bar = el.shadowRoot!.querySelector('progress');
      if (bar) seen.push({ label: bar.getAttribute('aria-label') ?? '', max: bar.max, value: bar.value });
    });
    observer.observe(el.shadowRoot!, { subtree: true, childList: true, attributes: true });
    try {
      await el.start();
      expect(el.state).to.equal('listening');
      expect(seen.length, 'progress bar seen while downloading').to.be.greaterThan(0);
      expect(seen.some((s) => /^Downloading /.test(s.label))).to.equal(true);
      expect(Math.max(...seen.map((s) => s.max))).to.be.greaterThan(1_000_000);
      expect(el.shadowRoot!.querySelector('progress'), 'gone once loaded').to.equal(null);
    } finally {
      observer.disconnect();
      el.stop();
      el.remove();
    }
  });
});
