import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { answer, bestMatch, chunkWords, lastUserText, loadKnowledge } from '../src/chat/knowledge-responder.ts';
import type { RunningServer } from '../src/server.ts';
import { KNOWLEDGE, entryAnswer, getToken, postJson, sseData, start } from './helpers.ts';

const knowledgeFile = new URL('../knowledge.json', import.meta.url).pathname;

interface Chunk {
  object: string;
  model: string;
  choices: { delta: { role?: string; content?: string }; finish_reason: string | null }[];
}

describe('demo knowledge responder (unit)', () => {
  const k = loadKnowledge(knowledgeFile);

  test('the questions used by the browser tests find their entries', () => {
    const cases: [string, string][] = [
      ['what are your opening hours', 'hours'],
      ['What are your opening hours?', 'hours'],
      ['when are you open on sunday', 'hours'],
      ['where are you located', 'location'],
      ['what is this demo', 'demo'],
      ['hello', 'greeting'],
      ['hello, what are your opening hours', 'hours'],
      ['do you repair phones', 'repairs'],
    ];
    for (const [q, id] of cases) assert.equal(bestMatch(k, q).entry?.id, id, q);
  });

  test('a question with no known keyword gets the fallback, which says it does not know', () => {
    assert.equal(bestMatch(k, 'what is the capital of france').entry, null);
    assert.equal(answer(k, 'what is the capital of france'), k.fallback);
    assert.match(k.fallback, /I don't know/);
    assert.equal(answer(k, ''), k.fallback);
  });

  test('answers are long enough to speak for several seconds (2-3 sentences)', () => {
    for (const e of k.entries) {
      const sentences = e.answer.split(/[.!?](?:\s|$)/).filter((s) => s.trim()).length;
      assert.ok(sentences >= 2 && sentences <= 4, `${e.id}: ${sentences} sentences`);
      assert.ok(e.answer.split(/\s+/).length >= 20, `${e.id} is too short`);
    }
    assert.match(entryAnswer('hours'), /nine in the morning to six in the evening, Monday to Saturday/);
    assert.match(entryAnswer('demo'), /demo responder of the voice assistant's reference server/);
  });

  test('chunkWords splits into word groups whose concatenation is the text', () => {
    const text = entryAnswer('hours');
    const chunks = chunkWords(text, 3);
    assert.ok(chunks.length >= 5);
    assert.equal(chunks.join(''), text);
    assert.ok(chunks.every((c) => c.trim().split(/\s+/).length <= 3));
    assert.deepEqual(chunkWords('', 3), []);
    assert.equal(chunkWords('  two  words ', 1).join(''), '  two  words ');
  });

  test('lastUserText takes the last user message, string or content parts', () => {
    assert.equal(
      lastUserText([
        { role: 'system', content: 'be nice' },
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: [{ type: 'text', text: 'where are' }, { type: 'text', text: 'you' }] },
      ]),
      'where are you',
    );
    assert.equal(lastUserText([{ role: 'system', content: 'x' }]), '');
  });
});

describe('POST /v1/chat/completions with the demo responder', () => {
  let server: RunningServer;
  let token: string;
  before(async () => {
    server = await start({ chatChunkDelayMs: 10 });
    token = await getToken(server.url);
  });
  after(() => server.close());

  const ask = (content: string, stream: boolean) =>
    postJson(server.url, '/v1/chat/completions', token, { model: 'any', stream, messages: [{ role: 'user', content }] });

  test('streams real SSE: several delta chunks that add up to the answer, then [DONE]', async () => {
    const t0 = performance.now();
    const r = await ask('what are your opening hours', true);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(r.headers.get('x-responder'), 'demo-knowledge-responder');
    // Read incrementally: the first chunk must arrive before the stream ends.
    const reader = r.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    let firstAt = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (!firstAt) firstAt = performance.now() - t0;
      text += decoder.decode(value, { stream: true });
    }
    const totalMs = performance.now() - t0;
    const data = sseData(text);
    assert.equal(data.at(-1), '[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Chunk);
    const contents = chunks.map((c) => c.choices[0]!.delta.content).filter((c): c is string => typeof c === 'string');
    assert.ok(contents.length >= 5, `${contents.length} content chunks`);
    assert.equal(contents.join(''), entryAnswer('hours'));
    assert.equal(chunks[0]!.choices[0]!.delta.role, 'assistant');
    assert.equal(chunks.at(-1)!.choices[0]!.finish_reason, 'stop');
    assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'reference-demo-responder'));
    assert.ok(firstAt < totalMs - 20, `first bytes at ${firstAt.toFixed(0)} ms, end at ${totalMs.toFixed(0)} ms`);
  });

  test('location, demo and greeting answers come from the knowledge file', async () => {
    for (const [q, id] of [['Where are you located?', 'location'], ['What is this demo?', 'demo'], ['Hello', 'greeting']] as const) {
      const r = await ask(q, true);
      const data = sseData(await r.text());
      const content = data.slice(0, -1).map((d) => (JSON.parse(d) as Chunk).choices[0]!.delta.content ?? '').join('');
      assert.equal(content, entryAnswer(id), q);
    }
  });

  test('an unknown question gets the "I don\'t know" answer', async () => {
    const r = await ask('What is the capital of France?', true);
    const data = sseData(await r.text());
    const content = data.slice(0, -1).map((d) => (JSON.parse(d) as Chunk).choices[0]!.delta.content ?? '').join('');
    assert.equal(content, KNOWLEDGE.fallback);
    assert.match(content, /I don't know/);
  });

  test('stream:false (or absent) returns one chat.completion JSON', async () => {
    for (const stream of [false, undefined]) {
      const r = await postJson(server.url, '/v1/chat/completions', token, { messages: [{ role: 'user', content: 'where are you located' }], stream });
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
      const body = (await r.json()) as { object: string; choices: { message: { role: string; content: string }; finish_reason: string }[] };
      assert.equal(body.object, 'chat.completion');
      assert.equal(body.choices[0]!.message.role, 'assistant');
      assert.equal(body.choices[0]!.message.content, entryAnswer('location'));
      assert.equal(body.choices[0]!.finish_reason, 'stop');
    }
  });

  test('invalid bodies -> 400', async () => {
    const cases: [unknown, string][] = [
      [{}, 'invalid_messages'],
      [{ messages: [] }, 'invalid_messages'],
      [{ messages: 'hello' }, 'invalid_messages'],
      [{ messages: [{ content: 'no role' }] }, 'invalid_messages'],
      [{ messages: [{ role: 'user', content: 'hi' }], stream: 'yes' }, 'invalid_stream'],
      ['{"messages": [', 'invalid_json'],
      ['', 'invalid_json'],
      ['null', 'invalid_json'],
    ];
    for (const [body, code] of cases) {
      const r = await postJson(server.url, '/v1/chat/completions', token, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      const err = (await r.json()) as { error: { type: string; code: string; message: string } };
      assert.equal(err.error.type, 'invalid_request_error');
      assert.equal(err.error.code, code);
    }
  });

  test('a client that aborts mid-stream does not disturb the server', async () => {
    const ac = new AbortController();
    const r = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ stream: true, messages: [{ role: 'user', content: 'what are your opening hours' }] }),
      signal: ac.signal,
    });
    const reader = r.body!.getReader();
    await reader.read();
    ac.abort();
    await assert.rejects(reader.read());
    const again = await ask('hello', false);
    assert.equal(again.status, 200);
  });
});

test('KNOWLEDGE_FILE / knowledgeFile replaces the answers; a broken file fails at start', async () => {
  const { writeFileSync } = await import('node:fs');
  const { tempDir } = await import('./helpers.ts');
  const { dir, cleanup } = tempDir();
  try {
    const file = `${dir}/k.json`;
    writeFileSync(file, JSON.stringify({ fallback: 'No idea, sorry. Really none.', entries: [{ id: 'x', keywords: ['zebra'], answer: 'Zebras are striped.' }] }));
    const server = await start({ knowledgeFile: file });
    try {
      const token = await getToken(server.url);
      const ask = async (q: string) => {
        const r = await postJson(server.url, '/v1/chat/completions', token, { messages: [{ role: 'user', content: q }] });
        return ((await r.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content;
      };
      assert.equal(await ask('tell me about zebras'), 'Zebras are striped.');
      assert.equal(await ask('what are your opening hours'), 'No idea, sorry. Really none.');
    } finally {
      await server.close();
    }
    writeFileSync(file, JSON.stringify({ entries: [] }));
    await assert.rejects(start({ knowledgeFile: file }), /fallback/);
  } finally {
    cleanup();
  }
});
