import { expect } from '@esm-bundle/chai';
import '../../src/voice-assistant.js';
import { VoiceAssistant } from '../../src/voice-assistant.js';
import { resolveConfig } from '../../src/config/config.js';
import { createEngineContext } from '../../src/engines/create-engine-context.js';
import { EngineRegistry } from '../../src/engines/engine-registry.js';
import type { SttEngine, SttRequest } from '../../src/engines/stt/stt-engine.js';
import { VoiceAssistantError } from '../../src/errors.js';

/** A fault-injecting STT engine: fails `failures` times, then answers; logs every call. */
function flaky(name: string, failures: number, log: string[]): SttEngine {
  let left = failures;
  return {
    name,
    async transcribe(r: SttRequest) {
      log.push(`${name}:${r.audio.length}`);
      if (left-- > 0) throw new VoiceAssistantError('engine-failed', `${name} is down`, true);
      return { text: `${name} heard ${r.audio.length} samples` };
    },
  };
}

const ctx = createEngineContext({
  config: resolveConfig({}).config,
  assetFolder: `${location.origin}/`,
  showProgress: () => {},
  debugLog: () => {},
});
const request = (signal = new AbortController().signal): SttRequest => ({ audio: new Float32Array(320), sampleRate: 16000, language: 'en-US', signal });

describe('engine chain', () => {
  const log: string[] = [];
  beforeEach(() => (log.length = 0));

  it('sends the same work to the next engine when one fails (engines from registerEngine)', async () => {
    VoiceAssistant.registerEngine('broken', () => flaky('broken', Infinity, log));
    VoiceAssistant.registerEngine('steady', { kind: 'stt', create: () => flaky('steady', 0, log) });
    const failovers: string[] = [];
    const chain = new EngineRegistry(ctx, VoiceAssistant.engines).chain('stt', ['broken', 'steady'], {
      onFailover: (f) => failovers.push(`${f.engine}->${f.next}`),
    });
    const { value, engine } = await chain.run((e) => e.transcribe(request()), new AbortController().signal);
    expect(engine).to.equal('steady');
    expect(value.text).to.equal('steady heard 320 samples');
    expect(log).to.deep.equal(['broken:320', 'steady:320']);
    expect(failovers).to.deep.equal(['broken->steady']);
  });

  it('goes through the call wrapper for every engine, in order (where breakers and limiters slot in)', async () => {
    VoiceAssistant.registerEngine('first', () => flaky('first', 1, log));
    VoiceAssistant.registerEngine('second', () => flaky('second', 0, log));
    const wrapped: string[] = [];
    const chain = new EngineRegistry(ctx, VoiceAssistant.engines).chain('stt', ['first', 'second'], {
      wrap: async (call, run) => {
        wrapped.push(`${call.operation}:${call.engine}`);
        if (call.engine === 'first' && wrapped.length > 2) throw new VoiceAssistantError('rate-limited', 'open circuit');
        return run();
      },
    });
    await chain.run((e) => e.transcribe(request()), new AbortController().signal);
    await chain.run((e) => e.transcribe(request()), new AbortController().signal);
    expect(wrapped).to.deep.equal(['stt:first', 'stt:second', 'stt:first', 'stt:second']);
    // The second run's "first" was refused by the wrapper before the engine was called.
    expect(log).to.deep.equal(['first:320', 'second:320', 'second:320']);
  });

  it('reports every engine when all fail, and never tries more after an abort', async () => {
    VoiceAssistant.registerEngine('down-a', () => flaky('down-a', Infinity, log));
    const registry = new EngineRegistry(ctx, VoiceAssistant.engines);
    const err = await registry
      .chain('stt', ['down-a', 'nosuch', 'local'])
      .run((e) => e.transcribe(request()), new AbortController().signal)
      .then(() => null, (e: VoiceAssistantError) => e);
    expect(err).to.be.instanceOf(VoiceAssistantError);
    expect(err!.code).to.equal('engine-failed');
    expect(err!.message).to.match(/down-a: down-a is down; nosuch: .*unknown stt engine.*; local: .*grammar.*\)\.$/);

    const ac = new AbortController();
    VoiceAssistant.registerEngine('aborts', () => ({
      name: 'aborts',
      transcribe: async () => {
        ac.abort();
        throw new DOMException('stopped', 'AbortError');
      },
    }));
    const aborted = await registry
      .chain('stt', ['aborts', 'down-a'])
      .run((e) => e.transcribe(request(ac.signal)), ac.signal)
      .then(() => null, (e: Error) => e);
    expect(aborted?.name).to.equal('AbortError');
    expect(log).to.deep.equal(['down-a:320']);
  });

  it('skips engines that are unavailable here or of the wrong kind', async () => {
    // A page without types may register anything: the registry checks at run time.
    VoiceAssistant.registerEngine('wrong-kind', { kind: 'tts', create: () => ({ synthesize: async () => ({}) }) } as never);
    VoiceAssistant.registerEngine('steady', () => flaky('steady', 0, log));
    const registry = new EngineRegistry(ctx, VoiceAssistant.engines);
    const { engine } = await registry.chain('stt', ['wrong-kind', 'steady']).run((e) => e.transcribe(request()), new AbortController().signal);
    expect(engine).to.equal('steady');
    const tts = await registry.chain('tts', ['browser', 'none']).run(
      (e) => e.synthesize({ text: 'hi', language: 'en-US', signal: new AbortController().signal }),
      new AbortController().signal,
    );
    // Headless Chromium has no speechSynthesis voices: "browser" must be skipped.
    const voices = speechSynthesis.getVoices().length;
    expect(tts.engine).to.equal(voices ? 'browser' : 'none');
  });

  it('creates each engine once and keeps it', async () => {
    let made = 0;
    VoiceAssistant.registerEngine('counted', () => (made++, flaky('counted', 0, log)));
    const chain = new EngineRegistry(ctx, VoiceAssistant.engines).chain('stt', ['counted']);
    for (let i = 0; i < 3; i++) await chain.run((e) => e.transcribe(request()), new AbortController().signal);
    expect(made).to.equal(1);
  });

  it('moves a refused result on to the next engine without counting a failure, and keeps the first when all refuse', async () => {
    const heard = (name: string, text: string): SttEngine => ({
      name,
      async transcribe() {
        log.push(name);
        return { text };
      },
    });
    VoiceAssistant.registerEngine('mishears', { kind: 'stt', create: () => heard('mishears', 'fernando what') });
    VoiceAssistant.registerEngine('grammar', { kind: 'stt', create: () => heard('grammar', 'turn on the lights') });
    const failovers: string[] = [];
    const calls: string[] = [];
    const chain = new EngineRegistry(ctx, VoiceAssistant.engines).chain('stt', ['mishears', 'grammar'], {
      onFailover: (f) => failovers.push(f.engine),
      wrap: async (c, run) => {
        calls.push(c.engine);
        return run();
      },
    });
    const known = (v: { text: string }) => v.text === 'turn on the lights';
    const got = await chain.run((e, signal) => e.transcribe(request(signal)), new AbortController().signal, known);
    expect(got).to.deep.equal({ value: { text: 'turn on the lights' }, engine: 'grammar' });
    expect(log).to.deep.equal(['mishears', 'grammar']);
    expect(calls).to.deep.equal(['mishears', 'grammar']);
    expect(failovers, 'a refused result is not a failure').to.deep.equal([]);
    log.length = 0;
    const none = await chain.run((e, signal) => e.transcribe(request(signal)), new AbortController().signal, () => false);
    expect(none).to.deep.equal({ value: { text: 'fernando what' }, engine: 'mishears' });
  });
});
