import { expect } from '@esm-bundle/chai';
import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import { audioContextUsers } from '../../src/audio/shared-audio-context.js';
import { PlaybackController } from '../../src/controllers/playback-controller.js';
import { PlaybackProbe, until } from '../conversation/playback-probe.js';

// PlaybackController: one element's audio output on the shared AudioContext, its status, the
// audible signal the echo guard listens to, and giving the context back.

class Host implements ReactiveControllerHost {
  readonly controllers = new Set<ReactiveController>();
  updates = 0;
  addController(c: ReactiveController) {
    this.controllers.add(c);
  }
  removeController(c: ReactiveController) {
    this.controllers.delete(c);
  }
  requestUpdate() {
    this.updates++;
  }
  get updateComplete() {
    return Promise.resolve(true);
  }
}

const tone = (seconds: number) => {
  const rate = 24000;
  return { kind: 'pcm' as const, samples: Float32Array.from({ length: rate * seconds }, (_, i) => 0.4 * Math.sin((2 * Math.PI * 440 * i) / rate)), sampleRate: rate };
};

describe('PlaybackController', () => {
  it('goes playing -> idle around what it plays, telling the host and the echo guard each time', async () => {
    const host = new Host();
    const audible: boolean[] = [];
    const playback = new PlaybackController(host, { onAudible: (on) => audible.push(on) });
    const probe = new PlaybackProbe(playback.queue);
    try {
      expect(host.controllers.has(playback)).to.equal(true);
      expect(playback.status).to.equal('idle');
      const first = playback.queue.enqueue(tone(0.2));
      const second = playback.queue.enqueue(tone(0.2));
      await first.started;
      expect(playback.status).to.equal('playing');
      expect(playback.playing).to.equal(true);
      await second.done;
      await until(() => playback.status === 'idle', 2000, 'idle');
      // Two sentences back to back are one stretch of sound: one playing, one idle.
      expect(audible).to.deep.equal([true, false]);
      expect(host.updates).to.equal(2);
      expect(probe.onsets).to.have.length(1);
      expect(probe.audibleMs).to.be.within(300, 700);
    } finally {
      probe.dispose();
      playback.dispose();
    }
  });

  it('holds the shared AudioContext only once something played, and gives it back on removal', async () => {
    const before = audioContextUsers();
    const host = new Host();
    const playback = new PlaybackController(host);
    expect(audioContextUsers(), 'nothing played yet').to.equal(before);
    await playback.queue.enqueue(tone(0.05)).done;
    expect(audioContextUsers()).to.equal(before + 1);
    playback.hostDisconnected();
    expect(audioContextUsers()).to.equal(before);
    playback.dispose();
    expect(audioContextUsers(), 'dispose after removal releases nothing twice').to.equal(before);
    expect(host.controllers.has(playback)).to.equal(false);
  });

  it('dispose() stops what is playing at once', async () => {
    const host = new Host();
    const playback = new PlaybackController(host);
    const probe = new PlaybackProbe(playback.queue);
    try {
      const q = playback.queue.enqueue(tone(2));
      await q.started;
      await new Promise((r) => setTimeout(r, 100));
      expect(probe.audibleNow).to.equal(true);
      playback.dispose();
      await q.done;
      expect(playback.playing).to.equal(false);
      expect(probe.audibleMs).to.be.below(1000);
    } finally {
      probe.dispose();
    }
  });
});
