// Runs inside a page served under a documented Content-Security-Policy (tests/fakes/cdn-server.mjs
// /csp/<policy>/csp-page.html?cdn=<origin>&run=<what>) and posts what happened to the parent:
// every securitypolicyviolation, the widget's errors, commands and states.
const params = new URL(location.href).searchParams;
const cdn = params.get('cdn') || location.origin + location.pathname.replace(/\/csp-page\.html$/, '');
const run = params.get('run') || 'turn';
const violations = [];
document.addEventListener('securitypolicyviolation', (e) =>
  violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample }),
);
const out = { violations, errors: [], commands: [], heard: [], states: [], spoke: false, meter: '' };
try {
  await import(`${cdn}/voice-assistant.js`);
  const el = document.createElement('voice-assistant');
  const attrs = { mode: 'command', commands: 'turn on the lights; turn off the lights; next page', stt: 'local', tts: 'local', preload: 'none', variant: 'inline' };
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.addEventListener('voice-error', (e) => out.errors.push(e.detail));
  el.addEventListener('voice-command', (e) => out.commands.push(e.detail.phrase));
  el.addEventListener('voice-transcript', (e) => out.heard.push(`${e.detail.engine}: ${e.detail.text}`));
  el.addEventListener('voice-state', (e) => out.states.push(e.detail.state));
  document.body.append(el);
  if (run === 'turn') {
    await el.speak('Hello there.');
    out.spoke = !out.errors.length;
  }
  // The microphone opens only in a user gesture: the parent clicks into this frame for real, once
  // the frame has painted (a click before that lands on the parent page), until it is told here.
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  parent.postMessage({ cspReady: true }, '*');
  await new Promise((ok) => document.addEventListener('click', () => (parent.postMessage({ cspClicked: true }, '*'), ok(el.start())), { once: true }));
  const end = performance.now() + (run === 'turn' ? 60000 : 8000);
  let maxLevel = 0;
  while (performance.now() < end && !out.commands.length && !out.errors.some((e) => !e.recoverable)) {
    await new Promise((r) => setTimeout(r, 100));
    const root = el.shadowRoot?.querySelector('.panel-root');
    const level = Number(root?.style.getPropertyValue('--level') || 0);
    maxLevel = Math.max(maxLevel, level);
  }
  out.maxLevel = maxLevel;
  out.status = el.shadowRoot?.querySelector('[part=status]')?.textContent ?? '';
  el.stop();
  await new Promise((r) => setTimeout(r, 300));
} catch (e) {
  out.thrown = String(e);
}
parent.postMessage({ csp: out }, '*');
