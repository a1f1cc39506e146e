import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { EngineContext } from '../src/engines/context.ts';
import { installedVoices } from '../src/engines/flite.ts';
import { ProcessPool, wrapForRealPipes } from '../src/process-pool.ts';
import type { RunningServer } from '../src/server.ts';
import { fakeBinary, fliteWav, getToken, postJson, processGone, start, tempDir, waitFor, wavForm } from './helpers.ts';

type ErrorBody = { error: { message: string; type: string; code?: string } };

describe('ProcessPool (unit)', () => {
  test('runs at most `concurrency` children at once, in FIFO order', async () => {
    const pool = new ProcessPool({ concurrency: 2, timeoutMs: 5000 });
    const order: number[] = [];
    let peakSeen = 0;
    const jobs = Array.from({ length: 6 }, (_, i) =>
      pool.run('sleep', ['0.1']).then(() => {
        order.push(i);
        peakSeen = Math.max(peakSeen, pool.stats.peak);
      }),
    );
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual({ active: pool.stats.active, queued: pool.stats.queued }, { active: 2, queued: 4 });
    await Promise.all(jobs);
    assert.equal(pool.stats.peak, 2);
    assert.equal(pool.stats.active, 0);
    assert.deepEqual(order.slice(0, 2).sort(), [0, 1]);
    assert.deepEqual(order.slice(4).sort(), [4, 5]);
  });

  test('a queued job can be aborted; a running one is killed', async () => {
    const pool = new ProcessPool({ concurrency: 1, timeoutMs: 5000 });
    const running = new AbortController();
    const queued = new AbortController();
    const t0 = performance.now();
    const a = pool.run('sleep', ['5'], { signal: running.signal });
    const b = pool.run('sleep', ['5'], { signal: queued.signal });
    assert.equal(pool.stats.queued, 1);
    queued.abort();
    await assert.rejects(b, { name: 'AbortError' });
    assert.equal(pool.stats.queued, 0);
    running.abort();
    await assert.rejects(a, { name: 'AbortError' });
    assert.ok(performance.now() - t0 < 2000);
    assert.equal(pool.stats.active, 0);
  });

  test('a full queue is refused with 503 engine_busy', async () => {
    const pool = new ProcessPool({ concurrency: 1, timeoutMs: 5000, maxQueue: 1 });
    const a = pool.run('sleep', ['0.2']);
    const b = pool.run('sleep', ['0.2']);
    await assert.rejects(pool.run('sleep', ['0.2']), { status: 503, type: 'engine_busy' });
    await Promise.all([a, b]);
    assert.equal(pool.stats.peak, 1);
  });

  test('timeouts kill the child and reject with 504; stdin and stdout pass through', async () => {
    const pool = new ProcessPool({ concurrency: 1, timeoutMs: 100 });
    await assert.rejects(pool.run('sleep', ['5']), { status: 504, code: 'engine_timeout' });
    const r = await pool.run('tr', ['a-z', 'A-Z'], { input: Buffer.from('hello') });
    assert.equal(r.stdout.toString(), 'HELLO');
    const piped = await pool.run('head', ['-c', '3', '/dev/stdin'], { input: Buffer.from('abcdef'), realPipes: { stdin: true } });
    assert.equal(piped.stdout.toString(), 'abc');
    await assert.rejects(pool.run('false', []), { status: 500, code: 'engine_failed' });
    assert.deepEqual(wrapForRealPipes('x', ['a b'], {}), ['x', ['a b']]);
    assert.equal(wrapForRealPipes('x', [], { stdin: true, stdout: true })[0], 'bash');
  });
});

describe('engines behind the HTTP API', () => {
  const tmp = tempDir();
  const log = join(tmp.dir, 'flite.log');
  const pidFile = join(tmp.dir, 'pid');
  let fakeFlite: string;
  let slowSphinx: string;
  let server: RunningServer;
  let token: string;
  before(async () => {
    // A flite that logs its start and end around the real synthesis, and takes 300 ms.
    fakeFlite = fakeBinary(
      tmp.dir,
      'flite',
      `if [ "$1" = "-lv" ]; then exec flite -lv; fi
echo start >> ${log}
sleep 0.3
flite "$@"; rc=$?
echo end >> ${log}
exit $rc`,
    );
    slowSphinx = fakeBinary(tmp.dir, 'pocketsphinx', `echo $$ > ${pidFile}\nexec sleep 30`);
    server = await start({ engineConcurrency: 2, engineTimeoutMs: 1500, binaries: { flite: fakeFlite, pocketsphinx: slowSphinx } });
    token = await getToken(server.url);
  });
  after(async () => {
    await server.close();
    tmp.cleanup();
  });

  test('the concurrency bound holds: never more than 2 engine processes at once', async () => {
    const t0 = performance.now();
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) => postJson(server.url, '/v1/audio/speech', token, { input: `Sentence number ${i}.`, response_format: 'wav' })),
    );
    const elapsed = performance.now() - t0;
    for (const r of responses) {
      assert.equal(r.status, 200);
      assert.equal(Buffer.from(await r.arrayBuffer()).toString('latin1', 0, 4), 'RIFF');
    }
    let live = 0;
    let peak = 0;
    const events = readFileSync(log, 'utf8').trim().split('\n');
    assert.equal(events.length, 12);
    for (const e of events) {
      live += e === 'start' ? 1 : -1;
      peak = Math.max(peak, live);
    }
    assert.equal(peak, 2, `peak ${peak} concurrent children: ${events.join(',')}`);
    assert.equal(server.engineStats().peak, 2);
    // 6 jobs of >= 300 ms, 2 at a time: at least 3 rounds.
    assert.ok(elapsed >= 900, `took ${elapsed.toFixed(0)} ms`);
  });

  test('an engine that runs past engineTimeoutMs is killed -> 504', async () => {
    const t0 = performance.now();
    const r = await fetch(`${server.url}/v1/audio/transcriptions`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: wavForm(fliteWav('hello')) });
    const elapsed = performance.now() - t0;
    assert.equal(r.status, 504);
    const err = (await r.json()) as ErrorBody;
    assert.equal(err.error.type, 'timeout');
    assert.equal(err.error.code, 'engine_timeout');
    assert.ok(elapsed >= 1400 && elapsed < 5000, `${elapsed} ms`);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    assert.ok(await waitFor(() => processGone(pid)), `pid ${pid} still alive`);
  });

  test('a client that goes away kills its engine process', async () => {
    const ac = new AbortController();
    const req = fetch(`${server.url}/v1/audio/transcriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: wavForm(fliteWav('hello')),
      signal: ac.signal,
    });
    const stalePid = readFileSync(pidFile, 'utf8');
    assert.ok(await waitFor(() => readFileSync(pidFile, 'utf8') !== stalePid), 'engine started');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    assert.equal(processGone(pid), false);
    ac.abort();
    await assert.rejects(req);
    assert.ok(await waitFor(() => processGone(pid), 1000), `pid ${pid} still alive after abort`);
    assert.ok(await waitFor(() => server.engineStats().active === 0, 1000));
  });
});

test('a real engine with a tiny timeout -> 504', async () => {
  const server = await start({ engineTimeoutMs: 50 });
  try {
    const token = await getToken(server.url);
    // pocketsphinx alone needs ~0.35 s to load its model.
    const r = await fetch(`${server.url}/v1/audio/transcriptions`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: wavForm(fliteWav('turn on the lights')) });
    assert.equal(r.status, 504);
    assert.equal(((await r.json()) as ErrorBody).error.code, 'engine_timeout');
    assert.equal(server.engineStats().active, 0);
  } finally {
    await server.close();
  }
});

test('missing binaries -> 503 naming the Debian package', async () => {
  const server = await start({ binaries: { flite: '/nonexistent/flite', pocketsphinx: '/nonexistent/pocketsphinx_continuous', sox: '/nonexistent/sox' } });
  try {
    const token = await getToken(server.url);
    const speech = await postJson(server.url, '/v1/audio/speech', token, { input: 'hello' });
    assert.equal(speech.status, 503);
    const e1 = (await speech.json()) as ErrorBody;
    assert.equal(e1.error.type, 'engine_unavailable');
    assert.equal(e1.error.code, 'engine_missing');
    assert.match(e1.error.message, /Debian package "flite"/);

    const stt = await fetch(`${server.url}/v1/audio/transcriptions`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: wavForm(fliteWav('hello')) });
    assert.equal(stt.status, 503);
    assert.match(((await stt.json()) as ErrorBody).error.message, /Debian package "pocketsphinx"/);

    const eightK = await fetch(`${server.url}/v1/audio/transcriptions`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: wavForm(fliteWav('hello', 'kal')) });
    assert.equal(eightK.status, 503);
    assert.match(((await eightK.json()) as ErrorBody).error.message, /Debian package "sox"/);
  } finally {
    await server.close();
  }
});

test("the voice list is probed once for all callers, and one caller's abort fails only that caller", async () => {
  const tmp = tempDir();
  try {
    // A flite whose voice list takes 300 ms (the probe is shared while it runs).
    const flite = fakeBinary(tmp.dir, 'flite', 'sleep 0.3\necho "Voices available: kal16 slt"');
    const ctx = { pool: new ProcessPool({ concurrency: 2, timeoutMs: 5000 }), binaries: { flite, pocketsphinx: '', sox: '' } } as unknown as EngineContext;
    const dropped = new AbortController();
    const first = installedVoices(ctx, dropped.signal);
    const second = installedVoices(ctx, new AbortController().signal);
    dropped.abort(new Error('the speculative answer was dropped'));
    await assert.rejects(first, /dropped/);
    assert.deepEqual([...(await second)].sort(), ['kal16', 'slt']);
  } finally {
    tmp.cleanup();
  }
});
