import { expect } from '@esm-bundle/chai';
import { CDN_ORIGIN } from '../helpers/origins.js';

describe('<voice-assistant> preload="idle"', () => {
  it('loads the lazy chunk once the browser is idle, without any interaction', async () => {
    await fetch(`${CDN_ORIGIN}/__reset`);
    await import(/* @vite-ignore */ `${CDN_ORIGIN}/voice-assistant.js`);
    const el = document.createElement('voice-assistant');
    el.setAttribute('preload', 'idle');
    document.body.append(el);
    const end = performance.now() + 10000;
    let log: { path: string; status: number }[] = [];
    while (performance.now() < end) {
      log = await (await fetch(`${CDN_ORIGIN}/__log`)).json();
      if (log.some((l) => /^\/lazy-.*\.js$/.test(l.path))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(log.map((l) => l.path).filter((p) => /^\/lazy-.*\.js$/.test(p))).to.have.length(1);
    expect(log.every((l) => l.status === 200)).to.equal(true);
    el.remove();
  });
});
