// The warm recognisers (server/src/engines/sphinx-pool.ts): real python3-pocketsphinx processes,
// real fixtures. Counted through the pool's stats, never timed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { RunningServer } from '../src/server.ts';
import { SphinxPool, sphinxPoolAvailable } from '../src/engines/sphinx-pool.ts';
import { transcribePcm16k } from '../src/engines/pocketsphinx.ts';
import { ProcessPool } from '../src/process-pool.ts';
import { DEFAULT_BINARIES } from '../src/engines/context.ts';
import { getToken, start, wavForm } from './helpers.ts';

const fixture = (name: string) => readFileSync(new URL(`../../tests/fixtures/${name}`, import.meta.url));
/** The fixtures are 16 kHz mono 16-bit WAVs with a 44-byte header. */
const pcmOf = (wav: Buffer) => wav.subarray(44);
const available = sphinxPoolAvailable();

describe('warm recognisers', { skip: available ? false : 'python3-pocketsphinx is not installed (scripts/install-deps.sh installs it)' }, () => {
  let server: RunningServer;
  let token: string;
  before(async () => {
    server = await start();
    await server.recogniserReady();
    token = await getToken(server.url);
  });
  after(() => server.close());

  test('N transcriptions start no process and load no model after start-up', async () => {
    const before = server.recogniserStats()!;
    assert.equal(before.started, before.size);
    assert.equal(before.modelLoads, before.size);
    const texts: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await fetch(`${server.url}/v1/audio/transcriptions`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: wavForm(fixture('question.wav')) });
      assert.equal(r.status, 200);
      texts.push(((await r.json()) as { text: string }).text);
    }
    const after = server.recogniserStats()!;
    assert.deepEqual(texts, Array(5).fill('what are your opening hours'));
    assert.equal(after.started, before.started);
    assert.equal(after.modelLoads, before.modelLoads);
    assert.equal(after.served - before.served, 5);
  });

  test('hears what a process per request hears on the fixtures', async () => {
    const perRequest = { pool: new ProcessPool({ concurrency: 1, timeoutMs: 15_000 }), binaries: DEFAULT_BINARIES };
    const warm = new SphinxPool({ size: 1, timeoutMs: 15_000 });
    try {
      for (const name of ['question.wav', 'dictation.wav', 'one-utterance.wav']) {
        const pcm = pcmOf(fixture(name));
        const [a, b] = [await transcribePcm16k(perRequest, pcm), await warm.transcribe(pcm)];
        assert.equal(b.text, a.text, name);
      }
    } finally {
      warm.close();
      perRequest.pool.close();
    }
  });

  test('an aborted utterance kills its recogniser, a new one takes its place, and the pool keeps working', async () => {
    const pool = new SphinxPool({ size: 1, timeoutMs: 15_000 });
    try {
      await pool.ready();
      const ac = new AbortController();
      const pending = pool.transcribe(pcmOf(fixture('long-utterance.wav')), { signal: ac.signal });
      setTimeout(() => ac.abort(), 50);
      await assert.rejects(pending, { name: 'AbortError' });
      assert.equal(pool.stats.killed, 1);
      const { text } = await pool.transcribe(pcmOf(fixture('question.wav')));
      assert.equal(text, 'what are your opening hours');
      assert.deepEqual([pool.stats.started, pool.stats.modelLoads], [2, 2]);
    } finally {
      pool.close();
    }
  });

  test('a recogniser that dies mid-utterance fails that request (502) and is replaced', async () => {
    const pool = new SphinxPool({ size: 1, timeoutMs: 15_000 });
    try {
      await pool.ready();
      const pending = pool.transcribe(pcmOf(fixture('long-utterance.wav')));
      const child = (pool as unknown as { all: Set<{ child: { kill(s: string): void } }> }).all.values().next().value!.child;
      child.kill('SIGKILL');
      await assert.rejects(pending, { status: 502 });
      assert.equal((await pool.transcribe(pcmOf(fixture('question.wav')))).text, 'what are your opening hours');
      assert.equal(pool.stats.started, 2);
    } finally {
      pool.close();
    }
  });

  test('too slow: 504 and a fresh recogniser; queue full: 503 with Retry-After', async () => {
    const pool = new SphinxPool({ size: 1, timeoutMs: 30, maxQueue: 1 });
    try {
      await pool.ready();
      const slow = pool.transcribe(pcmOf(fixture('long-utterance.wav')));
      const queued = pool.transcribe(pcmOf(fixture('question.wav')), { timeoutMs: 15_000 });
      await assert.rejects(pool.transcribe(pcmOf(fixture('question.wav'))), (e: { status: number; headers: Record<string, string> }) => e.status === 503 && e.headers['Retry-After'] === '1');
      await assert.rejects(slow, { status: 504 });
      assert.equal((await queued).text, 'what are your opening hours');
      assert.equal(pool.stats.killed, 1);
    } finally {
      pool.close();
    }
  });
});
