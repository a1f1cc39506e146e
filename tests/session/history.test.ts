import { expect } from '@esm-bundle/chai';
import { VoiceAssistant } from '../../src/voice-assistant.js';
import type { VoiceSession } from '../../src/session/voice-session.js';
import { HISTORY_DATABASE } from '../../src/session/transcript-store.js';
import type { TtsRequest } from '../../src/engines/tts/tts-engine.js';
import { sessionOf } from '../helpers/session.js';
import { until } from '../conversation/playback-probe.js';

// persist: the conversation's text kept in IndexedDB only with persist="history", restored by the
// next page (a new element and session, as after a reload), cleared by the panel's Forget.

VoiceAssistant.registerEngine('history-stt', () => ({ name: 'history-stt', transcribe: async () => ({ text: 'what are your opening hours' }) }));
VoiceAssistant.registerEngine('history-tts', () => ({
  name: 'history-tts',
  synthesize: async (_r: TtsRequest) => ({ kind: 'pcm' as const, samples: new Float32Array(240), sampleRate: 24000 }),
}));

async function stored(): Promise<unknown[]> {
  if (!(await indexedDB.databases()).some((d) => d.name === HISTORY_DATABASE)) return [];
  const db = await new Promise<IDBDatabase>((ok, fail) => {
    const r = indexedDB.open(HISTORY_DATABASE);
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
  try {
    if (!db.objectStoreNames.contains('conversations')) return [];
    return await new Promise((ok) => {
      const r = db.transaction('conversations').objectStore('conversations').getAll();
      r.onsuccess = () => ok(r.result);
    });
  } finally {
    db.close();
  }
}

async function mount(persist: string): Promise<{ el: VoiceAssistant; session: VoiceSession }> {
  const el = document.createElement('voice-assistant');
  el.id = 'history-test';
  for (const [k, v] of Object.entries({ persist, stt: 'history-stt', tts: 'history-tts', chat: 'none', variant: 'inline', 'rate-limit': 'none' })) el.setAttribute(k, v);
  el.responder = () => 'We are open from nine to six.';
  document.body.append(el);
  await el.updateComplete;
  return { el, session: sessionOf(el) };
}

describe('persist (conversation text across reloads)', () => {
  beforeEach(async () => {
    await new Promise((ok) => {
      const r = indexedDB.deleteDatabase(HISTORY_DATABASE);
      r.onsuccess = r.onerror = r.onblocked = ok;
    });
  });

  it('persist="none" (the default) stores nothing', async () => {
    const { el, session } = await mount('none');
    await session.conversation.handleUtterance(new Float32Array(16000));
    expect(session.conversation.history).to.have.length(2);
    el.remove();
    expect(await stored()).to.deep.equal([]);
  });

  it('persist="history" keeps the text (never audio), restores it on the next page, and Forget clears it', async () => {
    const first = await mount('history');
    await first.session.conversation.handleUtterance(new Float32Array(16000));
    await new Promise((r) => setTimeout(r, 200));
    const kept = await stored();
    expect(kept).to.deep.equal([
      [
        { role: 'user', content: 'what are your opening hours' },
        { role: 'assistant', content: 'We are open from nine to six.' },
      ],
    ]);
    first.el.remove();

    // The next page: a new element and session find the exchange again.
    const next = await mount('history');
    await until(() => next.session.conversation.history.length === 2, 5000, 'history restored');
    expect(next.el.lines.map((l) => [l.who, l.text])).to.deep.equal([
      ['user', 'what are your opening hours'],
      ['assistant', 'We are open from nine to six.'],
    ]);
    // The panel (lazy chunk) shows a Forget control that clears the panel, the history and storage.
    await (next.el as unknown as { speak(t: string): Promise<void> }).speak('');
    await next.el.updateComplete;
    const forget = next.el.shadowRoot!.querySelector<HTMLButtonElement>('button.forget');
    expect(forget, 'Forget control').to.not.equal(null);
    forget!.click();
    await new Promise((r) => setTimeout(r, 200));
    expect(next.el.lines).to.deep.equal([]);
    expect([...next.session.conversation.history]).to.deep.equal([]);
    expect(await stored()).to.deep.equal([]);
    next.el.remove();
  });
});
