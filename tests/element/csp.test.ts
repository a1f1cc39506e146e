// @fixture command-lights-on.wav
import { expect } from '@esm-bundle/chai';
import { sendMouse } from '@web/test-runner-commands';
import { CDN_ORIGIN, MIRROR_ORIGIN } from '../helpers/origins.js';

// The built widget on pages served with the Content-Security-Policy headers the README documents
// (tests/fakes/csp-policies.mjs), Trusted Types enforced: a local-engine command turn and a
// speak() with zero violations; without blob: workers on a CDN, a `blocked-by-csp` error naming
// the directive.

interface Report {
  violations: { directive: string; blocked: string; sample: string }[];
  errors: { code: string; message: string; recoverable: boolean }[];
  commands: string[];
  states: string[];
  spoke: boolean;
  maxLevel?: number;
  status?: string;
  thrown?: string;
}

async function runPage(url: string, ms = 120000): Promise<Report> {
  const frame = document.createElement('iframe');
  frame.allow = 'microphone; autoplay';
  // In view, where the real click (the gesture that may open the microphone) lands.
  frame.style.cssText = 'position:fixed;left:0;top:0;width:320px;height:240px;z-index:2147483647';
  frame.src = url;
  let clicks: ReturnType<typeof setInterval> | undefined;
  const report = new Promise<Report>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no report from ${url}`)), ms);
    window.addEventListener('message', function on(e) {
      if (e.source !== frame.contentWindow) return;
      // The page is ready for the visitor's click: a real one, inside the frame, again every 2 s
      // until the frame says it got one (on a loaded machine its first click can be lost).
      if (e.data?.cspReady) {
        const click = () => void sendMouse({ type: 'click', position: [300, 220] });
        click();
        clicks = setInterval(click, 2000);
        return;
      }
      if (e.data?.cspClicked) return clearInterval(clicks);
      if (!e.data?.csp) return;
      clearInterval(clicks);
      clearTimeout(timer);
      window.removeEventListener('message', on);
      ok(e.data.csp);
    });
  });
  document.body.append(frame);
  try {
    const r = await report;
    console.log(`[csp] ${url.replace(/^http:\/\/127\.0\.0\.1:\d+/, '')}: ${JSON.stringify({ ...r, states: r.states.join('>') })}`);
    return r;
  } finally {
    frame.remove();
  }
}

describe('<voice-assistant> under a strict Content-Security-Policy with Trusted Types', () => {
  it('self-hosted (b): speaks and hears a local command with zero violations', async function () {
    this.timeout(150000);
    const r = await runPage(`${CDN_ORIGIN}/csp/self/csp-page.html?run=turn`);
    expect(r.thrown).to.equal(undefined);
    expect(r.violations).to.deep.equal([]);
    expect(r.errors).to.deep.equal([]);
    expect(r.spoke).to.equal(true);
    expect(r.commands).to.deep.equal(['turn on the lights']);
    // The meter moved (set through CSSOM, not an inline style attribute).
    expect(r.maxLevel).to.be.above(0);
  });

  it('assets on a CDN (a): speaks and hears a local command with zero violations', async function () {
    this.timeout(150000);
    const r = await runPage(`${MIRROR_ORIGIN}/csp/cdn/csp-page.html?run=turn&cdn=${encodeURIComponent(CDN_ORIGIN)}`);
    expect(r.thrown).to.equal(undefined);
    expect(r.violations).to.deep.equal([]);
    expect(r.errors).to.deep.equal([]);
    expect(r.spoke).to.equal(true);
    expect(r.commands).to.deep.equal(['turn on the lights']);
  });

  it('a CDN page whose policy has no blob: workers gets blocked-by-csp naming worker-src, shown in the panel', async function () {
    this.timeout(60000);
    const r = await runPage(`${MIRROR_ORIGIN}/csp/cdn-no-blob/csp-page.html?run=start&cdn=${encodeURIComponent(CDN_ORIGIN)}`);
    const blocked = r.errors.filter((e) => e.code === 'blocked-by-csp');
    expect(blocked, JSON.stringify(r.errors)).to.have.length.at.least(1);
    expect(blocked[0]!.message).to.match(/worker-src/);
    expect(blocked[0]!.message).to.match(/Content-Security-Policy/);
    expect(blocked[0]!.message).to.match(/speech detector/);
    // The panel's status line says it (the last of them, if the worklet failed too).
    expect(blocked.map((e) => e.message)).to.include(r.status);
    expect(r.violations.some((v) => v.directive === 'worker-src')).to.equal(true);
  });
});
