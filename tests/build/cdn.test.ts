import { expect } from '@esm-bundle/chai';
import { CDN_ORIGIN, MIRROR_ORIGIN } from '../helpers/origins.js';

// The built element, loaded cross-origin from the loopback "CDN" exactly as a site would:
// <script type="module" src="https://cdn.example/voice-assistant/dist/voice-assistant.js">.
// `npm run build` must have run (scripts/test.sh does).

type Logged = { path: string; status: number };
const cdnLog = async (origin = CDN_ORIGIN): Promise<Logged[]> => (await fetch(`${origin}/__log`)).json();
const reset = () => Promise.all([fetch(`${CDN_ORIGIN}/__reset`), fetch(`${MIRROR_ORIGIN}/__reset`)]);
const until = async (cond: () => boolean | Promise<boolean>, ms = 20000) => {
  const end = performance.now() + ms;
  while (!(await cond())) {
    if (performance.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

let contexts = 0;
const Native = window.AudioContext;
window.AudioContext = class extends Native {
  constructor(o?: AudioContextOptions) {
    super(o);
    contexts++;
  }
};

describe('<voice-assistant> built and served from another origin', () => {
  before(async () => {
    await reset();
    await import(/* @vite-ignore */ `${CDN_ORIGIN}/voice-assistant.js`);
  });

  it('importing the entry issues no other request and creates no AudioContext', async () => {
    const el = document.createElement('voice-assistant');
    el.setAttribute('preload', 'none');
    document.body.append(el);
    await (el as unknown as { updateComplete: Promise<void> }).updateComplete;
    await new Promise((r) => setTimeout(r, 300));
    expect((await cdnLog()).map((l) => l.path)).to.deep.equal(['/voice-assistant.js']);
    const fromCdn = performance.getEntriesByType('resource').filter((e) => e.name.startsWith(CDN_ORIGIN) && !e.name.includes('/__'));
    expect(fromCdn.map((e) => new URL(e.name).pathname)).to.deep.equal(['/voice-assistant.js']);
    expect(contexts).to.equal(0);
    expect(customElements.get('voice-assistant')).to.be.a('function');
    el.remove();
  });

  it('preload="eager" fetches the lazy chunk from the CDN, all found, still no AudioContext', async () => {
    await reset();
    const el = document.createElement('voice-assistant');
    el.setAttribute('preload', 'eager');
    el.setAttribute('variant', 'inline');
    document.body.append(el);
    await until(() => !!el.shadowRoot!.querySelector('[part="panel"]'));
    await new Promise((r) => setTimeout(r, 500));
    const log = await cdnLog();
    expect(log.length).to.be.greaterThan(0);
    expect(log.filter((l) => l.status !== 200), 'requests that failed').to.deep.equal([]);
    expect(log.some((l) => /^\/lazy-.*\.js$/.test(l.path))).to.equal(true);
    expect(contexts).to.equal(0);
    el.remove();
  });
});
