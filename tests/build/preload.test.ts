import { expect } from '@esm-bundle/chai';
import { sendMouse } from '@web/test-runner-commands';
import { CDN_ORIGIN } from '../helpers/origins.js';

type Logged = { path: string; status: number };
const lazyRequests = async () =>
  ((await (await fetch(`${CDN_ORIGIN}/__log`)).json()) as Logged[]).filter((l) => l.path !== '/voice-assistant.js');
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = async (cond: () => Promise<boolean>, ms = 10000) => {
  const end = performance.now() + ms;
  while (!(await cond())) {
    if (performance.now() > end) throw new Error('timed out');
    await wait(50);
  }
};

// Both cases share one page and one module instance: "none" runs first and must load nothing,
// so the chunk "hover" then asks for has not been fetched before.
async function mountFresh(preload: string) {
  await fetch(`${CDN_ORIGIN}/__reset`);
  const tag = 'voice-assistant';
  if (!customElements.get(tag)) await import(/* @vite-ignore */ `${CDN_ORIGIN}/voice-assistant.js`);
  const el = document.createElement(tag);
  el.setAttribute('preload', preload);
  document.body.append(el);
  await (el as unknown as { updateComplete: Promise<void> }).updateComplete;
  return el;
}

describe('<voice-assistant> preload', () => {
  it('preload="none" loads nothing until activation; hover does not trigger it', async () => {
    const el = await mountFresh('none');
    const box = el.shadowRoot!.querySelector('button')!.getBoundingClientRect();
    await sendMouse({ type: 'move', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
    await wait(400);
    expect(await lazyRequests()).to.deep.equal([]);
    await sendMouse({ type: 'move', position: [0, 0] });
    el.remove();
  });

  it('preload="hover" loads the lazy chunk when the pointer comes to the launcher, not before', async () => {
    const el = await mountFresh('hover');
    await wait(400);
    expect(await lazyRequests(), 'before hover').to.deep.equal([]);
    const box = el.shadowRoot!.querySelector('button')!.getBoundingClientRect();
    await sendMouse({ type: 'move', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
    await until(async () => (await lazyRequests()).some((l) => /^\/lazy-.*\.js$/.test(l.path)));
    expect((await lazyRequests()).every((l) => l.status === 200)).to.equal(true);
    await sendMouse({ type: 'move', position: [0, 0] });
    el.remove();
  });
});
