// A real user gesture for tests: the widget opens the microphone only in one (user activation,
// https://html.spec.whatwg.org/multipage/interaction.html#tracking-user-activation), and a
// synthetic `el.click()` or a script call is not one. `sendMouse` clicks through the browser's
// input pipeline, as a visitor does.
import { sendMouse } from '@web/test-runner-commands';

const centre = (el: Element): [number, number] => {
  const r = el.getBoundingClientRect();
  return [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)];
};

/** A real click on `el` (e.g. a button in a shadow root: the launcher, the consent prompt's accept). */
export async function realClick(el: Element): Promise<void> {
  el.scrollIntoView({ block: 'center' });
  await sendMouse({ type: 'click', position: centre(el) });
}

/**
 * Gives the page transient user activation (a real click on a spot of its own that nothing else
 * covers), as a visitor's click on the page's own "talk" button would; the caller then has about
 * 5 s (Chromium) to call `start()`.
 */
export async function gesture(): Promise<void> {
  const spot = document.createElement('div');
  spot.style.cssText = 'position:fixed;left:0;top:0;width:6px;height:6px;z-index:2147483647';
  document.body.append(spot);
  try {
    await sendMouse({ type: 'click', position: [2, 2] });
  } finally {
    spot.remove();
  }
}
