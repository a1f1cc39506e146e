// Recognition is repeatable: SoX converts without dither (-D), and leading/trailing silence is cut
// before PocketSphinx, so the same audio gives the same words, with or without silence around it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_BINARIES } from '../src/engines/context.ts';
import { wavToPcm16Mono } from '../src/engines/sox.ts';
import { trimSilence } from '../src/engines/trim.ts';
import { ProcessPool } from '../src/process-pool.ts';
import type { RunningServer } from '../src/server.ts';
import { getToken, soxWav, start, tempDir, wavForm } from './helpers.ts';

const FIXTURES = JSON.parse(readFileSync(new URL('../../tests/fixtures/fixtures.json', import.meta.url), 'utf8')) as Record<
  string,
  { text: string; segments: { startMs: number; endMs: number }[]; pocketsphinx: { hypothesis: string } }
>;
const fixture = (name: string) => readFileSync(new URL(`../../tests/fixtures/${name}`, import.meta.url));

/** Runs sox on a WAV with the given effects (no dither either). */
function sox(wav: Buffer, ...effects: string[]): Buffer {
  const { dir, cleanup } = tempDir();
  try {
    writeFileSync(join(dir, 'in.wav'), wav);
    execFileSync('sox', ['-D', join(dir, 'in.wav'), join(dir, 'out.wav'), ...effects]);
    return readFileSync(join(dir, 'out.wav'));
  } finally {
    cleanup();
  }
}

/** The fixture cut to its speech (fixtures.json), with `padS` seconds of digital silence on each side. */
function speechWithSilence(name: string, padS: number): Buffer {
  const segs = FIXTURES[name]!.segments;
  return sox(fixture(name), 'trim', String(segs[0]!.startMs / 1000), `=${segs.at(-1)!.endMs / 1000}`, 'pad', String(padS), String(padS));
}

test('the conversion is dither-free: two runs give the same samples (SoX dithers at random without -D)', async () => {
  const pool = new ProcessPool({ concurrency: 1, timeoutMs: 10_000 });
  try {
    const ctx = { pool, binaries: DEFAULT_BINARIES };
    const wav44 = soxWav(fixture('question.wav'), 44100, 2);
    const one = await wavToPcm16Mono(ctx, wav44, 16000);
    const two = await wavToPcm16Mono(ctx, wav44, 16000);
    assert.ok(one.length > 100_000);
    assert.ok(one.equals(two), 'same bytes twice');
    const dithered = () => pool.run('sox', ['-q', '-t', 'wav', '-', '-t', 'raw', '-r', '16000', '-c', '1', '-b', '16', '-e', 'signed-integer', '-L', '-'], { input: wav44 });
    assert.ok(!(await dithered()).stdout.equals((await dithered()).stdout), 'without -D the samples differ run to run');
  } finally {
    pool.close();
  }
});

test('trimSilence: 1.5 s of silence around a clip is cut to the same samples as 0.3 s', () => {
  const pcm = (wav: Buffer) => wav.subarray(44);
  const long = trimSilence(pcm(speechWithSilence('question.wav', 1.5)), 16000);
  const short = trimSilence(pcm(speechWithSilence('question.wav', 0.3)), 16000);
  assert.ok(long.pcm.equals(short.pcm));
  assert.ok(Math.abs(long.start - 1.25) < 0.02, `speech found at ${long.start} s`);
  const quiet = Buffer.alloc(32000);
  assert.equal(trimSilence(quiet, 16000).pcm.length, 32000, 'all quiet: kept whole for the recogniser');
});

describe('transcripts over HTTP', () => {
  let server: RunningServer;
  let token: string;
  before(async () => {
    // A shared 2-core machine can take 10+ s to recognise a clip: time is not what is tested here.
    server = await start({ engineTimeoutMs: 60_000 });
    await server.recogniserReady();
    token = await getToken(server.url);
  });
  after(() => server.close());
  const transcribe = async (wav: Buffer) => {
    const r = await fetch(`${server.url}/v1/audio/transcriptions`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: wavForm(wav, { language: 'en' }) });
    assert.equal(r.status, 200);
    return ((await r.json()) as { text: string }).text;
  };

  test('the same file (44.1 kHz stereo: converted) transcribes identically twice', async () => {
    const wav = soxWav(fixture('question.wav'), 44100, 2);
    const first = await transcribe(wav);
    assert.equal(first, FIXTURES['question.wav']!.pocketsphinx.hypothesis);
    assert.equal(await transcribe(wav), first);
  });

  test('clips with 1.5 s of silence around them transcribe like the clips with 0.3 s', async () => {
    for (const name of ['question.wav', 'dictation.wav', 'command-unknown.wav']) {
      const padded = await transcribe(speechWithSilence(name, 1.5));
      assert.equal(padded, await transcribe(speechWithSilence(name, 0.3)), name);
      assert.equal(padded, FIXTURES[name]!.text.replace(/[^a-z ]/g, ''), name);
    }
  });
});
