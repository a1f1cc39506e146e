import { expect } from '@esm-bundle/chai';
import { defineBuilt, wait } from '../vad/listen.js';
import { gesture } from '../helpers/gesture.js';

type El = HTMLElement & { start(): Promise<void>; stop(): void; state: string };

// Count what the widget creates by wrapping the constructors before it loads.
const contexts: AudioContext[] = [];
const workers: { worker: Worker; terminated: boolean }[] = [];
const tracks: MediaStreamTrack[] = [];
const RealContext = window.AudioContext;
window.AudioContext = class extends RealContext {
  constructor(o?: AudioContextOptions) {
    super(o);
    contexts.push(this);
  }
};
const RealWorker = window.Worker;
window.Worker = class extends RealWorker {
  private readonly entry = { worker: this as Worker, terminated: false };
  constructor(url: string | URL, o?: WorkerOptions) {
    super(url, o);
    workers.push(this.entry);
  }
  override terminate() {
    this.entry.terminated = true;
    super.terminate();
  }
};
const realGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
navigator.mediaDevices.getUserMedia = async (c) => {
  const s = await realGetUserMedia(c);
  tracks.push(...s.getTracks());
  return s;
};

async function mount() {
  await defineBuilt();
  const el = document.createElement('voice-assistant') as El;
  for (const [k, v] of Object.entries({ preload: 'none', mode: 'dictation', tts: 'none', stt: 'vad-probe' })) el.setAttribute(k, v);
  document.body.append(el);
  return el;
}

/** After stop() the VAD worker of each stopped element stays warm (`warm`); after removal, nothing. */
function expectNothingLeft(warm = 0) {
  expect(contexts.filter((c) => c.state !== 'closed').length, 'open AudioContexts').to.equal(0);
  expect(tracks.filter((t) => t.readyState !== 'ended').length, 'live tracks').to.equal(0);
  expect(workers.filter((w) => !w.terminated).length, 'running workers').to.equal(warm);
}

describe('<voice-assistant> capture lifecycle', () => {
  it('leaves no AudioContext or track after 20 start/stop cycles, reuses one warm VAD worker, and ends it on removal', async function () {
    this.timeout(240000);
    const el = await mount();
    const errors: string[] = [];
    el.addEventListener('voice-error', (e) => errors.push((e as CustomEvent).detail.message));
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) {
      await gesture();
      await el.start();
      expect(el.state, `cycle ${i + 1}`).to.equal('listening');
      await wait(100);
      el.stop();
      expect(el.state).to.equal('idle');
    }
    console.log(`[capture] 20 cycles in ${Math.round(performance.now() - t0)} ms: ${contexts.length} AudioContext(s), ${workers.length} worker(s), ${tracks.length} track(s)`);
    expect(errors).to.deep.equal([]);
    expect(tracks.length).to.equal(20);
    // Every start after the first reused the warm worker: no new worker, no model load.
    expect(workers.length).to.equal(1);
    await wait(100); // AudioContext.close() settles asynchronously
    expectNothingLeft(1);
    el.remove();
    expectNothingLeft();
  });

  it('releases everything when the element is removed while listening, and starts again after', async function () {
    this.timeout(60000);
    const el = await mount();
    await gesture();
    await el.start();
    expect(el.state).to.equal('listening');
    const open = contexts.filter((c) => c.state !== 'closed');
    expect(open.length).to.equal(1);
    el.remove();
    await wait(100);
    expectNothingLeft();
    document.body.append(el);
    await gesture();
    await el.start();
    expect(el.state).to.equal('listening');
    el.remove();
    await wait(100);
    expectNothingLeft();
  });

  it('shares one AudioContext between two listening elements and closes it after the last', async function () {
    this.timeout(60000);
    const before = contexts.length;
    const a = await mount();
    const b = await mount();
    await gesture();
    await a.start();
    await gesture();
    await b.start();
    expect([a.state, b.state]).to.deep.equal(['listening', 'listening']);
    expect(contexts.length - before).to.equal(1);
    a.stop();
    await wait(50);
    expect(contexts.at(-1)!.state).to.not.equal('closed');
    b.stop();
    await wait(100);
    expectNothingLeft(2);
    a.remove();
    b.remove();
    expectNothingLeft();
  });

  it('stops listening on pagehide', async function () {
    this.timeout(60000);
    const el = await mount();
    await gesture();
    await el.start();
    expect(el.state).to.equal('listening');
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
    await wait(100);
    expect(el.state).to.equal('idle');
    expectNothingLeft();
    el.remove();
  });

  it('ends the warm VAD worker after it has been idle for vadIdleMs, and starts a new one after', async function () {
    this.timeout(60000);
    const el = await mount();
    await gesture();
    await el.start();
    const capture = (el as unknown as { session: { capture: { vadIdleMs: number } } }).session.capture;
    capture.vadIdleMs = 400;
    const before = workers.length;
    el.stop();
    await wait(150);
    expectNothingLeft(1);
    await gesture();
    await el.start(); // within the idle time: the same worker
    expect(workers.length).to.equal(before);
    el.stop();
    await wait(700);
    expectNothingLeft();
    await gesture();
    await el.start(); // after it ended: a new one
    expect(el.state).to.equal('listening');
    expect(workers.length).to.equal(before + 1);
    el.remove();
    expectNothingLeft();
  });
});
