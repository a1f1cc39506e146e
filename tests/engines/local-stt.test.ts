import { expect } from '@esm-bundle/chai';
import { ASSET_CACHE } from '../../src/internal/verified-asset.js';
import { LocalStt, NO_GRAMMAR_MESSAGE, SPHINX_FILES } from '../../src/engines/stt/local-stt.js';
import { LocalTts } from '../../src/engines/tts/local-tts.js';
import { VoiceAssistantError } from '../../src/errors.js';
import { CDN_ORIGIN } from '../helpers/origins.js';
import { fetched, localContext, pad, resample } from './local-engines/context.js';

// Engine-level tests of `stt="local"` in real Chromium: the class from source, its worker and
// model from the built dist/ (`npm run build`). Speech comes from the local TTS, taken through
// the rates the widget's own path uses: Flite's rate -> 48 kHz (playback) -> 16 kHz (capture).

const COMMANDS = ['Lights on', 'Lights off', 'Next page', 'Play music', 'What time is it?'];
const signal = () => new AbortController().signal;

describe('LocalStt (PocketSphinx in a worker)', () => {
  // A first visit: nothing kept in Cache Storage by another test file (the download is under test).
  before(() => caches.delete(ASSET_CACHE));
  const { ctx: ttsCtx } = localContext();
  const tts = new LocalTts(ttsCtx);
  const engines: LocalStt[] = [];
  const make = (...args: Parameters<typeof localContext>) => {
    const c = localContext(...args);
    const stt = new LocalStt(c.ctx);
    engines.push(stt);
    return { ...c, stt };
  };
  after(() => [tts, ...engines].forEach((e) => e.dispose()));

  /** `text` spoken by Flite, as the microphone path would deliver it: 16 kHz, with silence around. */
  async function utterance(text: string, voice = 'kal16') {
    const speech = await tts.synthesize({ text, voice, language: 'en-US', signal: signal() });
    const played = await resample(speech.samples, speech.sampleRate, 48000);
    return pad(await resample(played, 48000, 16000), 16000);
  }
  const hear = (stt: LocalStt, audio: Float32Array, grammar: readonly string[] | null = COMMANDS) =>
    stt.transcribe({ audio, sampleRate: 16000, language: 'en-US', grammar: grammar ?? undefined, signal: signal() });

  it('fetches nothing until the first utterance', async () => {
    make();
    await new Promise((r) => setTimeout(r, 300));
    expect(fetched(SPHINX_FILES.worker)).to.have.length(0);
    expect(fetched(SPHINX_FILES.modelFolder)).to.have.length(0);
    expect(fetched(SPHINX_FILES.wasm)).to.have.length(0);
  });

  it('without a grammar, says that open dictation needs a remote engine (and downloads nothing)', async () => {
    const { stt } = make();
    const error = await hear(stt, new Float32Array(16000), null).then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(VoiceAssistantError);
    expect((error as VoiceAssistantError).code).to.equal('engine-failed');
    expect((error as VoiceAssistantError).recoverable).to.equal(true);
    expect((error as Error).message).to.equal(NO_GRAMMAR_MESSAGE);
    const empty = await hear(stt, new Float32Array(16000), []).then(() => null, (e: unknown) => e);
    expect((empty as Error).message).to.equal(NO_GRAMMAR_MESSAGE);
    expect(fetched(SPHINX_FILES.modelFolder)).to.have.length(0);
  });

  it('round trip: each command spoken by the local TTS is recognised as that phrase', async () => {
    const { stt, progress } = make();
    const heard: string[] = [];
    for (const phrase of COMMANDS) heard.push((await hear(stt, await utterance(phrase))).text);
    expect(heard).to.deep.equal(COMMANDS);
    const reports = progress.filter((p) => p);
    expect(reports.length).to.be.greaterThan(1);
    expect(reports.at(-1)!.loaded).to.be.greaterThan(9e6);
    expect(progress.at(-1)).to.equal(null);
  });

  it('recognises other voices too (slt, rms)', async () => {
    const { stt } = make();
    expect((await hear(stt, await utterance('Next page', 'slt'))).text).to.equal('Next page');
    expect((await hear(stt, await utterance('Play music', 'rms'))).text).to.equal('Play music');
  });

  it('speech outside the grammar comes back empty, not as the nearest command', async () => {
    const { stt } = make();
    const outside = ['What is the weather like today', 'Open the door please', 'Hello there', 'Turn the lights on please'];
    const heard: string[] = [];
    for (const text of outside) heard.push((await hear(stt, await utterance(text))).text);
    expect(heard).to.deep.equal(['', '', '', '']);
  });

  it('silence comes back empty', async () => {
    const { stt } = make();
    expect((await hear(stt, new Float32Array(16000))).text).to.equal('');
  });

  it('leaves out phrases the dictionary cannot spell, and fails plainly when none is left', async () => {
    const { stt, notes } = make();
    const grammar = ['Zorblax the frobnicator', 'Lights on'];
    expect((await hear(stt, await utterance('Lights on'), grammar)).text).to.equal('Lights on');
    expect(JSON.stringify(notes)).to.contain('zorblax');
    const error = await hear(stt, await utterance('Lights on'), ['Zorblax']).then(() => null, (e: unknown) => e);
    expect((error as VoiceAssistantError).code).to.equal('engine-failed');
    expect((error as Error).message).to.contain('zorblax');
  });

  it('a second engine (a second activation) gets every model file without the network', async () => {
    const before = new Map(SPHINX_FILES.model.map((f) => [f, fetched(SPHINX_FILES.modelFolder + f).length]));
    const { stt } = make();
    expect((await hear(stt, await utterance('Lights off'))).text).to.equal('Lights off');
    for (const file of SPHINX_FILES.model) {
      // The verified copy in Cache Storage (no request at all), or else the HTTP cache (0 bytes).
      const entries = fetched(SPHINX_FILES.modelFolder + file).slice(before.get(file));
      expect(entries.every((e) => e.transferSize === 0), `${file}: bytes over the network the second time`).to.equal(true);
    }
  });

  it('starts its worker when the assets are on another origin (a CDN)', async () => {
    const { stt } = make(`${CDN_ORIGIN}/`);
    expect((await hear(stt, await utterance('Play music'))).text).to.equal('Play music');
    expect(fetched(`${CDN_ORIGIN}/${SPHINX_FILES.modelFolder}mdef`)).to.have.length(1);
  });

  it('made no request outside the page and asset origins', () => {
    const origins = new Set((performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((e) => new URL(e.name).origin));
    origins.delete(location.origin);
    origins.delete(CDN_ORIGIN);
    expect([...origins]).to.deep.equal([]);
  });
});
