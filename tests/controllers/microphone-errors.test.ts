import { expect } from '@esm-bundle/chai';
import { defineBuilt, wait } from '../vad/listen.js';
import { gesture } from '../helpers/gesture.js';

type El = HTMLElement & { start(): Promise<void>; stop(): void; state: string; message?: string };

// Page-level overrides of getUserMedia inject the faults (DESIGN.md: no test needs real hardware).
const realGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
const failWith = (name: string) => {
  navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('injected', name));
};

async function mount() {
  await defineBuilt();
  const el = document.createElement('voice-assistant') as El;
  el.setAttribute('preload', 'none');
  el.setAttribute('mode', 'dictation');
  el.setAttribute('tts', 'none');
  document.body.append(el);
  const errors: { code: string; message: string; recoverable: boolean }[] = [];
  const states: string[] = [];
  el.addEventListener('voice-error', (e) => errors.push((e as CustomEvent).detail));
  el.addEventListener('voice-state', (e) => states.push((e as CustomEvent).detail.state));
  return { el, errors, states };
}

describe('<voice-assistant> microphone errors', () => {
  afterEach(() => {
    navigator.mediaDevices.getUserMedia = realGetUserMedia;
    document.querySelectorAll('voice-assistant').forEach((e) => e.remove());
  });

  it('reports mic-denied with a message a person understands when permission is refused, and can retry', async () => {
    const { el, errors, states } = await mount();
    failWith('NotAllowedError');
    await gesture();
    await el.start();
    expect(errors.map((e) => e.code)).to.deep.equal(['mic-denied']);
    expect(errors[0].recoverable).to.equal(true);
    expect(errors[0].message).to.match(/allow the microphone/i);
    expect(states).to.deep.equal(['loading', 'error']);
    expect(el.state).to.equal('error');
    // The way to retry: press again once permission is given.
    navigator.mediaDevices.getUserMedia = realGetUserMedia;
    await gesture();
    await el.start();
    expect(el.state).to.equal('listening');
    el.stop();
    expect(el.state).to.equal('idle');
  });

  for (const name of ['NotFoundError', 'OverconstrainedError']) {
    it(`reports mic-unavailable when there is no device (${name})`, async () => {
      const { el, errors, states } = await mount();
      failWith(name);
      await gesture();
      await el.start();
      expect(errors.map((e) => e.code)).to.deep.equal(['mic-unavailable']);
      expect(errors[0].message).to.match(/no microphone/i);
      expect(states).to.deep.equal(['loading', 'error']);
    });
  }

  it('notices a track that ends by itself (device unplugged) and reports it', async () => {
    const { el, errors, states } = await mount();
    const tracks: MediaStreamTrack[] = [];
    navigator.mediaDevices.getUserMedia = async (c) => {
      const s = await realGetUserMedia(c);
      tracks.push(...s.getTracks());
      return s;
    };
    await gesture();
    await el.start();
    expect(el.state).to.equal('listening');
    // A real unplug stops the track and fires `ended`; stop() alone does not fire it.
    tracks[0].stop();
    tracks[0].dispatchEvent(new Event('ended'));
    await wait(0);
    expect(errors.map((e) => e.code)).to.deep.equal(['mic-unavailable']);
    expect(errors[0].message).to.match(/microphone stopped/i);
    expect(states).to.deep.equal(['loading', 'listening', 'error']);
    expect(tracks.every((t) => t.readyState === 'ended')).to.equal(true);
  });

  it('fails with unsupported (and disables itself) where AudioWorklet is missing', async () => {
    const { el, errors, states } = await mount();
    const real = window.AudioWorkletNode;
    (window as { AudioWorkletNode?: unknown }).AudioWorkletNode = undefined;
    try {
      await gesture();
      await el.start();
    } finally {
      window.AudioWorkletNode = real;
    }
    expect(errors.map((e) => e.code)).to.deep.equal(['unsupported']);
    expect(errors[0].message).to.match(/AudioWorklet/);
    expect(errors[0].recoverable).to.equal(false);
    expect(states).to.deep.equal(['loading', 'disabled']);
  });
});
