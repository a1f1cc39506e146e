import { expect } from '@esm-bundle/chai';
import { PageResponder, textPieces } from '../../src/engines/chat/page-responder.js';
import type { ChatMessage, Responder } from '../../src/engines/chat/chat-engine.js';
import { VoiceAssistantError } from '../../src/errors.js';

// `chat="none"`: the page answers through the `responder` property or `detail.respond(...)`.

const collect = async (it: AsyncIterable<string>) => {
  const out: string[] = [];
  for await (const p of it) out.push(p);
  return out;
};
const signal = () => new AbortController().signal;
async function* slowly(parts: string[]) {
  for (const p of parts) {
    await new Promise((r) => setTimeout(r, 5));
    yield p;
  }
}

describe('textPieces (what a responder may give)', () => {
  it('takes a string, a promise of one, an async iterable, or a plain iterable', async () => {
    expect(await collect(textPieces('Hello.', signal()))).to.deep.equal(['Hello.']);
    expect(await collect(textPieces(Promise.resolve('Later.'), signal()))).to.deep.equal(['Later.']);
    expect(await collect(textPieces(slowly(['a', 'b']), signal()))).to.deep.equal(['a', 'b']);
    expect(await collect(textPieces(['x', 'y'] as unknown as AsyncIterable<string>, signal()))).to.deep.equal(['x', 'y']);
  });

  it('gives nothing for an empty answer, null or undefined, and skips empty pieces', async () => {
    expect(await collect(textPieces('', signal()))).to.deep.equal([]);
    expect(await collect(textPieces(null, signal()))).to.deep.equal([]);
    expect(await collect(textPieces(undefined, signal()))).to.deep.equal([]);
    expect(await collect(textPieces(slowly(['a', '', 'b']), signal()))).to.deep.equal(['a', 'b']);
  });

  it('refuses anything else with a message that says what is accepted', async () => {
    const error = await collect(textPieces(42 as unknown as string, signal())).then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(VoiceAssistantError);
    expect((error as VoiceAssistantError).code).to.equal('engine-failed');
    expect((error as Error).message).to.match(/string, a promise of one, or an async iterable/);
  });

  it('stops reading a stream once the turn is aborted', async () => {
    const ac = new AbortController();
    const seen: string[] = [];
    const error = await (async () => {
      for await (const p of textPieces(slowly(['a', 'b', 'c', 'd']), ac.signal)) {
        seen.push(p);
        if (p === 'b') ac.abort(new DOMException('barge-in', 'AbortError'));
      }
    })().then(() => null, (e: unknown) => e);
    expect(seen).to.deep.equal(['a', 'b']);
    expect((error as DOMException).name).to.equal('AbortError');
  });
});

describe('PageResponder', () => {
  const messages: ChatMessage[] = [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'hi' },
    { role: 'assistant', content: 'Hello.' },
    { role: 'user', content: 'what time is it' },
  ];

  it('calls the responder with the last user text and the history without the system prompt', async () => {
    const calls: { text: string; history: unknown }[] = [];
    const responder: Responder = (text, { history }) => {
      calls.push({ text, history });
      return `It is noon (${history.length} before).`;
    };
    const page = new PageResponder(() => responder);
    expect(page.ready).to.equal(true);
    expect(await collect(page.complete({ messages, signal: signal() }))).to.deep.equal(['It is noon (2 before).']);
    expect(calls).to.deep.equal([{ text: 'what time is it', history: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'Hello.' }] }]);
  });

  it('an answer given through respond() wins over the responder property', async () => {
    let called = false;
    const page = new PageResponder(() => () => ((called = true), 'from the property'), slowly(['from ', 'respond()']));
    expect(await collect(page.complete({ messages, signal: signal() }))).to.deep.equal(['from ', 'respond()']);
    expect(called).to.equal(false);
  });

  it('is not ready without a responder or an answer', () => {
    expect(new PageResponder(() => undefined).ready).to.equal(false);
    expect(new PageResponder(() => undefined, 'answered').ready).to.equal(true);
  });

  it('a responder that throws (or rejects) surfaces as the failure of the answer', async () => {
    const throws = new PageResponder(() => () => {
      throw new Error('page bug');
    });
    const e1 = await collect(throws.complete({ messages, signal: signal() })).then(() => null, (e: unknown) => e);
    expect((e1 as Error).message).to.equal('page bug');
    const rejects = new PageResponder(() => async () => Promise.reject(new Error('backend down')));
    const e2 = await collect(rejects.complete({ messages, signal: signal() })).then(() => null, (e: unknown) => e);
    expect((e2 as Error).message).to.equal('backend down');
  });
});
