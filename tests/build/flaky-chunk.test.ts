import { expect } from '@esm-bundle/chai';
import { CDN_ORIGIN } from '../helpers/origins.js';
import { gesture } from '../helpers/gesture.js';

// The CDN answers 503 twice for every lazy file under /flaky/2/<key>/, then serves it.
describe('<voice-assistant> lazy loading under faults', () => {
  it('activates even when the lazy chunk fails to load twice', async () => {
    const key = `k${Date.now()}`;
    await fetch(`${CDN_ORIGIN}/__reset`);
    await import(/* @vite-ignore */ `${CDN_ORIGIN}/flaky/2/${key}/voice-assistant.js`);
    const el = document.createElement('voice-assistant') as HTMLElement & { start(): Promise<void>; state: string };
    el.setAttribute('preload', 'none');
    el.setAttribute('variant', 'inline');
    document.body.append(el);
    const states: string[] = [];
    el.addEventListener('voice-state', (e) => states.push((e as CustomEvent).detail.state));
    await gesture();
    await el.start();
    const log: { path: string; status: number }[] = await (await fetch(`${CDN_ORIGIN}/__log`)).json();
    const chunk = log.filter((l) => /\/lazy-[^/]*\.js$/.test(l.path));
    expect(chunk.map((l) => l.status)).to.deep.equal([503, 503, 200]);
    expect(states[0]).to.equal('loading');
    expect(el.shadowRoot!.querySelector('[part="panel"]'), 'the lazy panel rendered').to.not.equal(null);
    el.remove();
  });
});
