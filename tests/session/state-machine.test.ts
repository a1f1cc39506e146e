import { expect } from '@esm-bundle/chai';
import { StateMachine, TRANSITIONS, transition, type Happening } from '../../src/session/state-machine.js';
import type { VoiceState } from '../../src/events/voice-state-event.js';

const STATES: VoiceState[] = ['idle', 'loading', 'listening', 'user-speaking', 'transcribing', 'thinking', 'speaking', 'error', 'disabled'];
const BUSY: VoiceState[] = ['listening', 'user-speaking', 'transcribing', 'thinking', 'speaking'];

/** Every state the machine reaches from `from` on `h`, with the microphone closed and open. */
const after = (from: VoiceState, h: Happening, mic = false) => transition(from, mic, h);

describe('state machine (src/session/state-machine.ts)', () => {
  it('has a rule for every happening and nothing else', () => {
    expect(Object.keys(TRANSITIONS).sort()).to.deep.equal(
      ['activate', 'audio', 'capture-fail', 'done', 'fail', 'fatal', 'listen', 'release', 'speech', 'stop', 'transcript', 'utterance'].sort(),
    );
  });

  it('activate: idle and error -> loading; any other state stays', () => {
    for (const s of STATES) expect(after(s, 'activate').state, s).to.equal(s === 'idle' || s === 'error' ? 'loading' : s);
  });

  it('listen: -> listening and the microphone is open', () => {
    for (const s of STATES.filter((x) => x !== 'disabled')) expect(after(s, 'listen'), s).to.deep.equal({ state: 'listening', mic: true });
  });

  it('speech, utterance, transcript, audio: the steps of a turn, from any live state', () => {
    const to: Record<string, VoiceState> = { speech: 'user-speaking', utterance: 'transcribing', transcript: 'thinking', audio: 'speaking' };
    for (const [h, target] of Object.entries(to)) {
      for (const s of STATES.filter((x) => x !== 'disabled')) {
        for (const mic of [false, true]) expect(after(s, h as Happening, mic), `${s} --${h}-->`).to.deep.equal({ state: target, mic });
      }
    }
  });

  it('done: back to listening while the microphone is open, else idle', () => {
    for (const s of BUSY) {
      expect(after(s, 'done', true).state, `${s} mic open`).to.equal('listening');
      expect(after(s, 'done', false).state, `${s} mic closed`).to.equal('idle');
    }
  });

  it('stop: -> idle and the microphone is closed, from everything but disabled', () => {
    for (const s of STATES) expect(after(s, 'stop', true), s).to.deep.equal(s === 'disabled' ? { state: 'disabled', mic: true } : { state: 'idle', mic: false });
  });

  it('release (push-to-talk let go): the microphone closes; listening rests in idle, a turn goes on and then rests in idle', () => {
    for (const s of STATES) {
      const want = s === 'listening' ? 'idle' : s;
      expect(after(s, 'release', true), s).to.deep.equal({ state: want, mic: s === 'disabled' });
    }
    expect(after(after('thinking', 'release', true).state, 'done', false).state).to.equal('idle');
  });

  it('fail: an error state only while loading (a failed turn keeps listening)', () => {
    for (const s of STATES) expect(after(s, 'fail', true).state, s).to.equal(s === 'loading' ? 'error' : s);
  });

  it('capture-fail: -> error with the microphone closed, so the end of a turn rests in idle', () => {
    expect(after('listening', 'capture-fail', true)).to.deep.equal({ state: 'error', mic: false });
    expect(after('error', 'done', false).state).to.equal('idle');
  });

  it('fatal: -> disabled, and disabled is final', () => {
    for (const s of STATES) expect(after(s, 'fatal').state).to.equal('disabled');
    for (const h of Object.keys(TRANSITIONS) as Happening[]) expect(after('disabled', h, true).state, h).to.equal('disabled');
  });

  it('StateMachine applies each change once, with the previous state, and follows a whole session', () => {
    const applied: string[] = [];
    const m = new StateMachine({ setState: (next, previous) => applied.push(`${previous}>${next}`) });
    expect(m.can('activate')).to.equal(true);
    const seq: Happening[] = ['activate', 'listen', 'speech', 'utterance', 'transcript', 'audio', 'speech', 'utterance', 'done', 'done', 'stop', 'stop'];
    for (const h of seq) m.send(h);
    expect(applied).to.deep.equal([
      'idle>loading', 'loading>listening', 'listening>user-speaking', 'user-speaking>transcribing', 'transcribing>thinking',
      'thinking>speaking', 'speaking>user-speaking', 'user-speaking>transcribing', 'transcribing>listening', 'listening>idle',
    ]);
    expect(m.state).to.equal('idle');
    // After stop() the microphone is closed: a turn that ends now rests in idle.
    m.send('utterance');
    m.send('done');
    expect(m.state).to.equal('idle');
    m.send('activate');
    expect(m.can('activate')).to.equal(false);
  });
});
