// @fixture command-lights-on.wav
// A visitor's second visit: the built element in a fresh page realm (a same-origin frame, so the
// same Cache Storage), with the HTTP cache disabled (DevTools' "Disable cache", through the
// DevTools protocol): every model and runtime comes from Cache Storage, verified, with zero
// network requests for them, and a local command turn still works. Both visits: no request leaves
// the page's own origin and the configured asset base (the loopback CDN; no endpoint is set).
// The DevTools protocol's cache switch reaches the page target, not its workers: worker scripts
// and what they import (code, not models) may still come from the HTTP cache in the second visit.
// Run `npm run build` first.
import { expect } from '@esm-bundle/chai';
import { executeServerCommand, sendMouse } from '@web/test-runner-commands';
import { ASSET_CACHE } from '../../src/internal/verified-asset.js';
import { cdnPaths, COMMANDS, resetCdn, until } from '../engines/local-engines/e2e.js';
import { CDN_ORIGIN } from '../helpers/origins.js';

type El = HTMLElement & { speak(t: string): Promise<void>; stop(): void; state: string; updateComplete: Promise<unknown> };

/** One visit: a new frame (a new JS realm) loads the widget, speaks, and hears a command after a real click on its launcher. */
async function visit(): Promise<{ commands: string[]; errors: string[]; states: string[] }> {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'position:fixed;left:0;top:0;width:480px;height:360px;border:0;z-index:2147483647';
  frame.allow = 'microphone; autoplay';
  frame.srcdoc = `<!doctype html><body><script type="module">await import('${CDN_ORIGIN}/voice-assistant.js'); parent.postMessage('visit-ready', '*');</script></body>`;
  const ready = new Promise((ok) => window.addEventListener('message', function on(e) {
    if (e.source === frame.contentWindow && e.data === 'visit-ready') (window.removeEventListener('message', on), ok(undefined));
  }));
  document.body.append(frame);
  await ready;
  const doc = frame.contentDocument!;
  const el = doc.createElement('voice-assistant') as El;
  for (const [k, v] of Object.entries({ mode: 'command', commands: COMMANDS, stt: 'local', tts: 'local', preload: 'none' })) el.setAttribute(k, v);
  const out = { commands: [] as string[], errors: [] as string[], states: [] as string[] };
  el.addEventListener('voice-command', (e) => out.commands.push((e as CustomEvent).detail.phrase));
  el.addEventListener('voice-error', (e) => out.errors.push(`${(e as CustomEvent).detail.code}: ${(e as CustomEvent).detail.message}`));
  el.addEventListener('voice-state', (e) => out.states.push((e as CustomEvent).detail.state));
  doc.body.append(el);
  await el.updateComplete;
  try {
    await el.speak('Hello.'); // the local voice (Flite)
    const launcher = el.shadowRoot!.querySelector('[part="launcher"]')!.getBoundingClientRect();
    await sendMouse({ type: 'click', position: [Math.round(launcher.x + launcher.width / 2), Math.round(launcher.y + launcher.height / 2)] });
    await until(() => out.commands.length > 0 || out.errors.length > 0, 90000, 'the spoken command');
    return out;
  } finally {
    el.stop();
    frame.remove();
  }
}

describe('a second visit', () => {
  it('loads every model and runtime from Cache Storage with the HTTP cache off (zero requests for them); no request leaves the configured origins', async function () {
    this.timeout(300000);
    await resetCdn(); // a first visitor: empty request log, nothing in Cache Storage
    await executeServerCommand('network-record', { on: true });
    const first = await visit();
    const firstUrls = (await executeServerCommand('network-record', { on: false })) as string[];
    const kept = (await (await caches.open(ASSET_CACHE)).keys()).map((r) => new URL(r.url).pathname).sort();
    const firstPaths = await cdnPaths();

    // The CDN's request log only: what the first visit kept in Cache Storage stays (resetCdn would empty it).
    await fetch(`${CDN_ORIGIN}/__reset`);
    await executeServerCommand('http-cache', { disabled: true });
    await executeServerCommand('network-record', { on: true });
    let second;
    try {
      second = await visit();
    } finally {
      await executeServerCommand('http-cache', { disabled: false });
    }
    const secondUrls = (await executeServerCommand('network-record', { on: false })) as string[];
    const secondPaths = await cdnPaths();
    const origins = [...new Set([...firstUrls, ...secondUrls].filter((u) => /^https?:/.test(u)).map((u) => new URL(u).origin))].sort();
    console.log(
      `[second visit] kept ${kept.join(' ')}; first visit ${firstPaths.length} CDN requests, ${firstUrls.length} in the browser; ` +
        `second ${secondPaths.length} CDN requests: ${secondPaths.join(' ')}; origins ${origins.join(' ')}; commands ${first.commands} / ${second.commands}`,
    );
    expect(first.errors).to.deep.equal([]);
    expect(first.commands).to.deep.equal(['turn on the lights']);
    expect(second.errors).to.deep.equal([]);
    expect(second.commands).to.deep.equal(['turn on the lights']);
    // The models and runtimes: the VAD's (model, onnxruntime's wasm), Flite's, PocketSphinx's.
    for (const f of ['/silero_vad_v5.onnx', '/ort-wasm-simd-threaded.wasm', '/flite.wasm', '/soundswallower.wasm', '/sphinx-en-us/means', '/sphinx-en-us/mdef']) {
      expect(kept, `${f} kept in Cache Storage`).to.include(f);
      expect(firstPaths, `${f} downloaded on the first visit`).to.include(f);
    }
    expect(secondPaths.filter((p) => kept.includes(p)), 'requests for what Cache Storage holds').to.deep.equal([]);
    // The HTTP cache really was off: the code itself came over the network again.
    expect(secondPaths).to.include('/voice-assistant.js');
    // The worker's own imports are seen too (so the origin check covers workers).
    expect(firstUrls.some((u) => u.endsWith('/ort-wasm-simd-threaded.mjs'))).to.equal(true);
    expect(origins).to.include(CDN_ORIGIN);
    expect(origins.filter((o) => o !== location.origin && o !== CDN_ORIGIN), 'third-party origins').to.deep.equal([]);
  });
});
