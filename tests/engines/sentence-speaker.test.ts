import { expect } from '@esm-bundle/chai';
import { PlaybackQueue } from '../../src/audio/playback-queue.js';
import { EngineChain } from '../../src/engines/engine-chain.js';
import { SentenceSpeaker } from '../../src/engines/tts/sentence-speaker.js';
import type { TtsEngine, TtsRequest } from '../../src/engines/tts/tts-engine.js';
import { VoiceAssistantError } from '../../src/errors.js';
import { PlaybackProbe, until } from '../conversation/playback-probe.js';

// SentenceSpeaker on a real PlaybackQueue (the shared AudioContext, heard through an analyser):
// order, pipelining, splitting, failures and aborts. The TTS engine is a tone generator whose
// synthesis time each test sets; it records what it was asked and when.

interface Call { text: string; startedAt: number; endedAt?: number }

/** Which text each synthesised buffer carries (to see the order of what was enqueued). */
const textOf = new WeakMap<Float32Array, string>();

function toneTts(o: { delayMs: (text: string) => number; fail?: (text: string) => boolean }) {
  const calls: Call[] = [];
  const engine: TtsEngine = {
    name: 'tone',
    async synthesize(r: TtsRequest) {
      const call: Call = { text: r.text, startedAt: performance.now() };
      calls.push(call);
      await new Promise((ok) => setTimeout(ok, o.delayMs(r.text)));
      r.signal.throwIfAborted();
      call.endedAt = performance.now();
      if (o.fail?.(r.text)) throw new VoiceAssistantError('engine-failed', `tone cannot say "${r.text}"`, true);
      const rate = 24000;
      const samples = Float32Array.from({ length: rate * 0.2 }, (_, i) => 0.4 * Math.sin((2 * Math.PI * 440 * i) / rate));
      textOf.set(samples, r.text);
      return { kind: 'pcm' as const, samples, sampleRate: rate };
    },
  };
  return { engine, calls };
}

describe('SentenceSpeaker (sentence-by-sentence speech on the playback queue)', () => {
  let queue: PlaybackQueue;
  let probe: PlaybackProbe;
  const errors: unknown[] = [];
  const warnings: string[] = [];

  beforeEach(() => {
    queue = new PlaybackQueue();
    probe = new PlaybackProbe(queue);
    errors.length = 0;
    warnings.length = 0;
  });
  afterEach(() => {
    queue.dispose();
    probe.dispose();
  });

  const speaker = (engine: TtsEngine, maxChars?: number) =>
    new SentenceSpeaker(queue, {
      chain: () => new EngineChain<TtsEngine>('tts', [{ name: engine.name, get: async () => engine }]),
      language: () => 'en-US',
      voice: () => 'kal16',
      onError: (e) => errors.push(e),
      onWarning: (m) => warnings.push(m),
      maxChars,
    });

  it('plays sentences in the order they were said, one synthesis at a time', async () => {
    // The first sentence takes longest to synthesise: the second waits for it (one request at a
    // time, so a barge-in wastes little) and is heard after it.
    const { engine, calls } = toneTts({ delayMs: (t) => (t === 'one.' ? 120 : 10) });
    const enqueued: string[] = [];
    const enqueue = queue.enqueue.bind(queue);
    queue.enqueue = (audio) => {
      enqueued.push(audio.kind === 'pcm' ? (textOf.get(audio.samples) ?? '?') : 'external');
      return enqueue(audio);
    };
    const job = speaker(engine).begin(new AbortController().signal);
    job.say('one.');
    job.say('two.');
    job.end();
    const first = await job.firstAudio;
    await job.done;
    expect(calls.map((c) => c.text)).to.deep.equal(['one.', 'two.']);
    expect(enqueued).to.deep.equal(['one.', 'two.']);
    expect(calls[1]!.startedAt).to.be.at.least(calls[0]!.endedAt!);
    expect(first).to.be.a('number');
    expect(probe.audibleMs).to.be.above(250);
    expect(errors).to.deep.equal([]);
  });

  it('synthesises the next sentence while one plays, with at most one sentence waiting', async () => {
    const { engine, calls } = toneTts({ delayMs: () => 10 });
    const job = speaker(engine).begin(new AbortController().signal);
    for (const s of ['a.', 'b.', 'c.', 'd.']) job.say(s);
    job.end();
    const first = (await job.firstAudio)!;
    await job.done;
    expect(calls.map((c) => c.text)).to.deep.equal(['a.', 'b.', 'c.', 'd.']);
    // Sentence 2 ("b.") is asked for before sentence 1 ends playing (0.2 s of tone)...
    expect(calls[1]!.startedAt - first).to.be.below(150);
    // ...but sentence 3 ("c.") only once sentence 1 is over: never two sentences ahead.
    expect(calls[2]!.startedAt - first).to.be.above(150);
  });

  it('splits a sentence longer than maxChars into parts, says so once, and drops none of it', async () => {
    const { engine, calls } = toneTts({ delayMs: () => 5 });
    const job = speaker(engine, 40).begin(new AbortController().signal);
    const long = 'This sentence is quite long and goes on, and on, and on without a full stop anywhere';
    job.say(long);
    job.end();
    await job.done;
    expect(calls.length).to.be.above(1);
    expect(calls.every((c) => c.text.length <= 40)).to.equal(true);
    expect(calls.map((c) => c.text).join(' ').replace(/\s+/g, ' ')).to.equal(long);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/split into \d+ parts of at most 40/);
  });

  it('reports a sentence every engine failed on once, and still says the rest', async () => {
    const { engine, calls } = toneTts({ delayMs: () => 5, fail: (t) => t.startsWith('bad') });
    const job = speaker(engine).begin(new AbortController().signal);
    for (const s of ['bad one.', 'good.', 'bad two.', 'fine.']) job.say(s);
    job.end();
    await job.done;
    expect(calls.map((c) => c.text)).to.deep.equal(['bad one.', 'good.', 'bad two.', 'fine.']);
    expect(errors).to.have.length(1);
    expect((errors[0] as Error).message).to.match(/bad one/);
    expect(probe.audibleMs).to.be.above(250);
  });

  it('holds prepared audio until `hold` resolves, then plays it', async () => {
    const { engine, calls } = toneTts({ delayMs: () => 5 });
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    const job = speaker(engine).begin(new AbortController().signal, { hold });
    job.say('prepared.');
    job.end();
    await until(() => calls.length === 1 && calls[0]!.endedAt !== undefined, 5000, 'synthesis');
    await new Promise((r) => setTimeout(r, 150));
    expect(probe.firstSoundAt, 'nothing heard while held').to.equal(undefined);
    expect(job.audible).to.equal(false);
    const releasedAt = performance.now();
    release();
    const first = await job.firstAudio;
    expect(first).to.be.at.least(releasedAt);
    await job.done;
    expect(probe.audibleMs).to.be.above(100);
  });

  it('an abort ends the job at once: no further synthesis, firstAudio settles, done resolves', async () => {
    const { engine, calls } = toneTts({ delayMs: () => 200 });
    const ac = new AbortController();
    const job = speaker(engine).begin(ac.signal);
    job.say('one.');
    job.say('two.');
    setTimeout(() => ac.abort(), 50);
    const first = await job.firstAudio;
    await job.done;
    expect(first).to.equal(undefined);
    expect(calls.map((c) => c.text)).to.deep.equal(['one.']);
    expect(probe.firstSoundAt).to.equal(undefined);
    expect(errors).to.deep.equal([]);
  });
});
