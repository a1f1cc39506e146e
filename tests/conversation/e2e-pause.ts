// Turn-taking against the reference server (DESIGN.md section 2): a pause inside a question and
// a pause between two questions, through the fake microphone and the built bundle.
import { expect } from '@esm-bundle/chai';
import { converse, truth } from './e2e.js';

type Requests = Record<string, { answered: number; aborted: number }>;
const requests = async (): Promise<Requests> => (await fetch('/__reference-server/requests')).json();
const transcriptions = (r: Requests) => r['POST /v1/audio/transcriptions'] ?? { answered: 0, aborted: 0 };

/**
 * Transcription requests the page started, and whether each was aborted: a request cancelled
 * before its bytes reached the server is seen only here (observed, not faked: it calls through).
 */
function watchTranscriptionFetches() {
  const seen: AbortSignal[] = [];
  const original = window.fetch;
  window.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.includes('/audio/transcriptions') && init?.signal) seen.push(init.signal);
    return original(input, init);
  };
  return { started: () => seen.length, aborted: () => seen.filter((s) => s.aborted).length, restore: () => (window.fetch = original) };
}

/** Runs the fixture until the answer matching `last` is over; returns what happened. */
export async function pauseCase(fixture: string, last: RegExp) {
  const t = (await truth(fixture))!;
  const before = transcriptions(await requests());
  const fetches = watchTranscriptionFetches();
  const c = await converse({ mode: 'conversation', chat: 'remote' });
  try {
    await c.next('voice-response', (d) => d.final && last.test(d.text), 60000);
    await c.next('voice-state', (d) => d.previous === 'speaking', 60000);
    const after = transcriptions(await requests());
    const states = c.log.filter((e) => e.type === 'voice-state').map((e) => e.detail.state);
    const heard = c.log.filter((e) => e.type === 'voice-transcript').map((e) => e.detail.text);
    const lastSpeechEnd = c.session.capture.openedAt + t.segments.at(-1)!.endMs;
    const run = {
      truth: t,
      speechEnds: c.log.filter((e) => e.type === 'voice-speech-end').length,
      turns: states.filter((s) => s === 'transcribing').length,
      heard,
      answers: c.log.filter((e) => e.type === 'voice-response' && e.detail.final).map((e) => e.detail.text),
      transcriptions: { answered: after.answered - before.answered, abortedAtServer: after.aborted - before.aborted },
      pageFetches: { started: fetches.started(), aborted: fetches.aborted() },
      // The first answer may start in the pause and be cut by the second question (barge-in):
      // what counts is the first sound that began after the last word.
      firstSoundAfterLastWordMs: (c.probe.firstOnsetAfter(lastSpeechEnd) ?? NaN) - lastSpeechEnd,
      soundBeforeLastWord: c.probe.firstSoundAt !== undefined && c.probe.firstSoundAt < lastSpeechEnd,
      onsetsAfterStart: c.probe.onsets.map((at) => Math.round(at - c.session.capture.openedAt)),
      errors: c.log.filter((e) => e.type === 'voice-error'),
    };
    console.log(`[${fixture}] ${JSON.stringify({ ...run, truth: undefined })}`);
    expect(run.errors).to.deep.equal([]);
    return run;
  } finally {
    fetches.restore();
    c.close();
  }
}
