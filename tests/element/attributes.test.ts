import { expect } from '@esm-bundle/chai';
import '../../src/voice-assistant.js';
import type { VoiceAssistant } from '../../src/voice-assistant.js';
import { DEFAULT_RATE_LIMITS } from '../../src/config/rate-limit.js';
import { captureWarnings, mount, nextTask, record } from '../helpers/element.js';
import { gesture } from '../helpers/gesture.js';

// attribute -> [valid value, expected property value]
const VALID: Record<string, [string, unknown]> = {
  mode: ['dictation', 'dictation'],
  stt: ['remote local', ['remote', 'local']],
  tts: ['local browser', ['local', 'browser']],
  chat: ['none', 'none'],
  endpoint: ['https://api.example.com/v1', 'https://api.example.com/v1'],
  'stt-endpoint': ['https://stt.example.com/v1', 'https://stt.example.com/v1'],
  'tts-endpoint': ['https://tts.example.com/v1', 'https://tts.example.com/v1'],
  'chat-endpoint': ['http://localhost:11434/v1', 'http://localhost:11434/v1'],
  'token-url': ['https://example.com/token', 'https://example.com/token'],
  'stt-model': ['whisper-1', 'whisper-1'],
  'tts-model': ['tts-1', 'tts-1'],
  'chat-model': ['gpt-4o-mini', 'gpt-4o-mini'],
  voice: ['alloy', 'alloy'],
  instructions: ['Be brief.', 'Be brief.'],
  commands: ['next page; turn on the lights', ['next page', 'turn on the lights']],
  language: ['de-DE', 'de-DE'],
  'vad-threshold': ['0.7', 0.7],
  'silence-ms': ['900', 900],
  'max-utterance-s': ['12', 12],
  'audio-processing': ['noise-suppression, Echo-Cancellation', 'echo-cancellation noise-suppression'],
  'barge-in': ['false', false],
  'rate-limit': ['stt=3/min', { ...DEFAULT_RATE_LIMITS, stt: [{ limit: 3, windowMs: 60000 }] }],
  preload: ['eager', 'eager'],
  variant: ['inline', 'inline'],
  // (a document the loopback config host serves, tests/fakes/config-documents.mjs: the element fetches it)
  'config-url': [`${location.origin}/__config/attributes-test`, `${location.origin}/__config/attributes-test`],
  persist: ['history', 'history'],
  environment: ['staging', 'staging'],
  groups: ['beta premium', ['beta', 'premium']],
  consent: ['I agree to be recorded.', 'I agree to be recorded.'],
  'text-input': ['false', false],
  transport: ['realtime', 'realtime'],
  'metrics-url': ['https://example.com/m', 'https://example.com/m'],
  'asset-base': ['https://cdn.example/va/', 'https://cdn.example/va/'],
  debug: ['', true],
};

const INVALID: Record<string, string[]> = {
  mode: ['chat', '', 'CONVERSATIONS'],
  stt: ['', 'remote remote', '<script>', 'a b c d e f g h i'],
  tts: ['', 'Local!', 'local,local'],
  chat: ['local', 'yes'],
  endpoint: ['javascript:alert(1)', 'ftp://x', '', 'http://'],
  'stt-endpoint': ['javascript:alert(1)', 'ftp://x'],
  'tts-endpoint': ['data:text/plain,x', ''],
  'chat-endpoint': ['http://'],
  'token-url': ['javascript:alert(1)', 'data:text/plain,x'],
  'stt-model': ['has space', ''],
  'tts-model': ['a'.repeat(200)],
  'chat-model': ['<b>'],
  voice: ['two words'],
  instructions: ['x'.repeat(8001)],
  commands: ['x'.repeat(201)],
  language: ['english', 'e', '12-34'],
  'vad-threshold': ['1.5', '-0.1', 'abc', 'NaN', '0.5x'],
  'silence-ms': ['50', 'lots', '100000'],
  'max-utterance-s': ['0', '500', 'Infinity'],
  'audio-processing': ['loud', 'auto none', 'noise-suppression noise-suppression', '', 'auto-gain'],
  'barge-in': ['maybe', 'nope'],
  'rate-limit': ['stt=many', 'stt=0/min', 'foo=1/s'],
  preload: ['always', 'lazy'],
  variant: ['modal'],
  'config-url': ['file:///etc/passwd'],
  persist: ['forever'],
  environment: ['prod', 'test'],
  groups: ['<x>', 'a/b'],
  consent: ['y'.repeat(2001)],
  'text-input': ['off-ish', 'ja'],
  transport: ['websocket', 'realtime-v2', ''],
  'metrics-url': ['mailto:x@example.com'],
  'asset-base': ['javascript:void(0)'],
  debug: ['verbose'],
};

const prop = (attr: string) => attr.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

describe('<voice-assistant> attributes', () => {
  before(() => fetch('/__config/attributes-test', { method: 'PUT', body: JSON.stringify({ status: 200, body: '{}' }) }));

  afterEach(() => document.querySelectorAll('voice-assistant').forEach((e) => e.remove()));

  it('covers every attribute of the contract', () => {
    const observed = (customElements.get('voice-assistant') as unknown as { observedAttributes: string[] }).observedAttributes;
    expect([...observed].sort()).to.deep.equal(Object.keys(VALID).sort());
    expect(Object.keys(INVALID).sort()).to.deep.equal(Object.keys(VALID).sort());
  });

  for (const [attr, [value, expected]] of Object.entries(VALID)) {
    it(`round-trips ${attr}="${value}"`, async () => {
      const el = await mount({ [attr]: value });
      const key = prop(attr) as keyof VoiceAssistant;
      expect(el[key]).to.deep.equal(expected);
      expect((el.config as unknown as Record<string, unknown>)[key]).to.deep.equal(expected);
      // property -> attribute: setting the typed value back writes an equivalent attribute
      el.removeAttribute(attr);
      await el.updateComplete;
      (el as unknown as Record<string, unknown>)[key] = expected;
      await el.updateComplete;
      const written = el.getAttribute(attr);
      expect(written, `${attr} reflected`).to.not.equal(null);
      const again = await mount({ [attr]: written! });
      expect(again[key]).to.deep.equal(expected);
    });
  }

  for (const [attr, values] of Object.entries(INVALID)) {
    it(`keeps the default for invalid ${attr} with one warning and one voice-error each`, async () => {
      const fresh = await mount();
      const key = prop(attr) as keyof VoiceAssistant;
      const defaults = { prop: fresh[key], config: (fresh.config as unknown as Record<string, unknown>)[key] };
      for (const value of values) {
        const el = document.createElement('voice-assistant') as VoiceAssistant;
        const errors = record<{ code: string; message: string }>(el, 'voice-error');
        const w = captureWarnings();
        try {
          el.setAttribute(attr, value);
          document.body.append(el);
          await el.updateComplete;
          el.requestUpdate();
          await el.updateComplete;
          await nextTask();
        } finally {
          w.restore();
        }
        expect(w.warnings, `${attr}=${value}`).to.have.length(1);
        expect(w.warnings[0]).to.contain(attr).and.to.contain('accepted');
        expect(errors.events.map((e) => e.detail.code)).to.deep.equal(['invalid-config']);
        expect(el[key], `${attr} property`).to.deep.equal(defaults.prop);
        expect((el.config as unknown as Record<string, unknown>)[key]).to.deep.equal(defaults.config);
        expect(Object.isFrozen(el.config)).to.equal(true);
      }
    });
  }

  it('refuses an invalid property value, restores the default and warns once', async () => {
    const el = await mount();
    const errors = record(el, 'voice-error');
    const w = captureWarnings();
    try {
      el.vadThreshold = 7;
      await el.updateComplete;
      await el.updateComplete;
      await nextTask();
    } finally {
      w.restore();
    }
    expect(w.warnings).to.have.length(1);
    expect(errors.events).to.have.length(1);
    expect(el.vadThreshold).to.equal(0.5);
    expect(el.config.vadThreshold).to.equal(0.5);
  });

  it('derives the engine chains from endpoint', async () => {
    const local = await mount();
    expect(local.config.stt).to.deep.equal(['local']);
    expect(local.config.tts).to.deep.equal(['local']);
    expect(local.config.chat).to.equal('none');
    const remote = await mount({ endpoint: '/v1' });
    expect(remote.config.stt).to.deep.equal(['remote', 'local']);
    expect(remote.config.chat).to.equal('remote');
    expect(remote.config.endpoint).to.equal(new URL('/v1', document.baseURI).href);
  });

  it('derives each chain from its own endpoint too (stt-endpoint, tts-endpoint, chat-endpoint)', async () => {
    const stt = await mount({ 'stt-endpoint': '/stt/v1' });
    expect([stt.config.stt, stt.config.tts, stt.config.chat]).to.deep.equal([['remote', 'local'], ['local'], 'none']);
    const tts = await mount({ 'tts-endpoint': '/tts/v1' });
    expect([tts.config.stt, tts.config.tts, tts.config.chat]).to.deep.equal([['local'], ['remote', 'local'], 'none']);
    const chat = await mount({ 'chat-endpoint': 'http://localhost:11434/v1' });
    expect([chat.config.stt, chat.config.tts, chat.config.chat]).to.deep.equal([['local'], ['local'], 'remote']);
    expect(chat.config.chatEndpoint).to.equal('http://localhost:11434/v1');
    expect(chat.config.endpoint).to.equal(undefined);
  });

  it('applies attribute changes after connection', async () => {
    const el = await mount({ mode: 'dictation' });
    expect(el.config.mode).to.equal('dictation');
    el.setAttribute('mode', 'command');
    expect(el.config.mode).to.equal('command');
    el.setAttribute('silence-ms', '1200');
    await el.updateComplete;
    expect(el.silenceMs).to.equal(1200);
    expect(el.config.silenceMs).to.equal(1200);
  });

  it('renders hostile strings as text, never as markup', async () => {
    const el = await mount({ consent: '<img src=x onerror="window.__pwned=1">' });
    await gesture();
    await el.start();
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 50));
    const root = el.shadowRoot!;
    expect(root.querySelector('img')).to.equal(null);
    expect(root.textContent).to.contain('<img src=x');
    expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
  });
});
