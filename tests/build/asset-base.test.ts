import { expect } from '@esm-bundle/chai';
import { CDN_ORIGIN, MIRROR_ORIGIN } from '../helpers/origins.js';

const log = async (origin: string): Promise<{ path: string; status: number }[]> => (await fetch(`${origin}/__log`)).json();
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('<voice-assistant> asset-base', () => {
  it('resolves assets against asset-base instead of the module folder', async () => {
    await Promise.all([fetch(`${CDN_ORIGIN}/__reset`), fetch(`${MIRROR_ORIGIN}/__reset`)]);
    await import(/* @vite-ignore */ `${CDN_ORIGIN}/voice-assistant.js`);
    const el = document.createElement('voice-assistant') as unknown as HTMLElement & { assetFolder: string; updateComplete: Promise<void> };
    el.setAttribute('preload', 'none');
    document.body.append(el);
    await el.updateComplete;
    expect(el.assetFolder).to.equal(`${CDN_ORIGIN}/`);
    el.setAttribute('asset-base', `${MIRROR_ORIGIN}/`);
    expect(el.assetFolder).to.equal(`${MIRROR_ORIGIN}/`);
    el.setAttribute('asset-base', `${MIRROR_ORIGIN}/sub`);
    expect(el.assetFolder, 'a trailing slash is added').to.equal(`${MIRROR_ORIGIN}/sub/`);
    el.setAttribute('asset-base', `${MIRROR_ORIGIN}/`);
    await wait(50);
    expect(await log(MIRROR_ORIGIN)).to.deep.equal([]);
    el.remove();
  });
});
