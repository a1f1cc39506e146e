// Recognition of the input audio buffer while it fills, when no streaming recogniser is free
// (stream-partials.ts is the usual path). The shared warm recogniser (sphinx_worker.py)
// decodes a whole utterance per request, so a partial hypothesis here is a full re-decode of the
// buffer so far, started whenever ~300 ms of new audio has arrived and no decode of this buffer is
// running (at most one per session: the pool's recognisers are shared with the HTTP routes). The
// cost grows with the utterance (PocketSphinx runs at ~0.1-0.3 of real time here); the decode
// times are kept in the stats.
import type { EngineContext } from '../engines/context.ts';
import { transcribePcm16k } from '../engines/pocketsphinx.ts';
import { downsample24to16 } from './audio.ts';
import type { RealtimeStats } from './stats.ts';

/** Recognises 24 kHz PCM16 (downsampled to the recogniser's 16 kHz). */
export async function recognise(engines: EngineContext, pcm24: Buffer, signal?: AbortSignal): Promise<string> {
  return (await transcribePcm16k(engines, downsample24to16(pcm24), signal)).text;
}

/** About -45 dBFS, the level the HTTP route's speech detection uses. */
const VOICED_RMS = 32768 * 10 ** (-45 / 20);

/** Whether any 10 ms of 24 kHz PCM16 is above the voiced level. */
export function loud(pcm: Buffer): boolean {
  const s = new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + (pcm.length & ~1)));
  for (let at = 0; at < s.length; at += 240) {
    let sum = 0;
    const end = Math.min(s.length, at + 240);
    for (let i = at; i < end; i++) sum += s[i]! * s[i]!;
    if (Math.sqrt(sum / (end - at)) > VOICED_RMS) return true;
  }
  return false;
}

/** What a session recognises its input buffer with: partials while it fills, the final transcript at the commit. */
export interface BufferRecogniser {
  /** The buffer grew to `pcm` (all of it so far) with `chunk`. */
  update(pcm: () => Buffer, bytes: number, itemId: string, chunk: Buffer): void;
  /** At the commit, before `reset()`: the final transcript of the buffer `pcm`. */
  final(pcm: Buffer): Promise<string>;
  /** The buffer was committed or cleared: a new one starts. */
  reset(): void;
  /** The session ended. */
  close(): void;
}

export class PartialRecogniser implements BufferRecogniser {
  private decodedBytes = 0;
  private running = false;
  private generation = 0;
  private last = '';
  private voiced = false;
  private latest?: { pcm: () => Buffer; bytes: number; itemId: string };
  /** Buffer bytes up to the end of the last voiced chunk. */
  private voicedEnd = 0;
  /** The running decode and the last finished one, by how much of the buffer they cover. */
  private pending?: { bytes: number; result: Promise<string> };
  private decoded?: { bytes: number; text: string };

  constructor(
    private readonly engines: EngineContext,
    private readonly stats: RealtimeStats,
    /** Called with the new hypothesis of the whole buffer and the text it adds to the previous one. */
    private readonly onPartial: (transcript: string, delta: string, itemId: string) => void,
    private readonly everyBytes = 24000 * 2 * 0.3,
  ) {}

  /** The buffer grew to `pcm` (all of it so far). */
  update(pcm: () => Buffer, bytes: number, itemId: string, chunk: Buffer): void {
    this.latest = { pcm, bytes, itemId };
    if (chunk.length && loud(chunk)) {
      this.voiced = true;
      this.voicedEnd = bytes;
    }
    // Nothing to recognise before the first voiced chunk (the client's pre-roll is mostly silence).
    if (!this.voiced) return;
    if (this.running || bytes - this.decodedBytes < this.everyBytes) return;
    // Partials only use a recogniser that is free: they never queue in front of a final
    // transcript or an HTTP request (each re-decode costs more as the buffer grows).
    const pool = this.engines.sphinx?.stats;
    if (pool && pool.busy + pool.queued >= pool.size) return;
    this.running = true;
    this.decodedBytes = bytes;
    const generation = this.generation;
    const t0 = performance.now();
    const result = recognise(this.engines, pcm());
    this.pending = { bytes, result };
    result
      .then((text) => {
        if (generation === this.generation) this.decoded = { bytes, text };
        this.stats.partialDecodes++;
        this.stats.partialDecodeMs.push(Math.round(performance.now() - t0));
        if (!text || text === this.last) return;
        const delta = text.startsWith(this.last) ? text.slice(this.last.length) : '';
        // A decode that ends after the commit is still sent (for the committed item): it comes
        // before that item's final transcript, which takes at least as long.
        if (generation === this.generation) this.last = text;
        this.onPartial(text, delta, itemId);
      })
      .catch(() => undefined) // a partial that fails is only a missed caption; the commit decodes again
      .finally(() => {
        if (generation !== this.generation) return;
        this.running = false;
        // The buffer grew while this decode ran (a slow machine): decode again at once.
        const { pcm: next, bytes: now, itemId: item } = this.latest!;
        if (now - this.decodedBytes >= this.everyBytes) this.update(next, now, item, Buffer.alloc(0));
      });
  }

  /**
   * At the commit: the transcript of a decode (finished or running) that already covers every
   * voiced chunk of the buffer (what came after it is the silence that ended the turn), so the
   * final transcript needs no decode of its own; undefined when there is none.
   */
  covering(): Promise<string> | undefined {
    if (!this.voiced) return undefined;
    if (this.decoded && this.decoded.bytes >= this.voicedEnd && this.decoded.text) return Promise.resolve(this.decoded.text);
    if (this.pending && this.running && this.pending.bytes >= this.voicedEnd) return this.pending.result;
    return undefined;
  }

  /** The final transcript: a decode that already covers all the speech gives it at once. */
  final(pcm: Buffer): Promise<string> {
    const covering = this.covering();
    this.stats.finalsFromPartials += covering ? 1 : 0;
    const decode = () => recognise(this.engines, pcm);
    return covering ? covering.then((t) => t || decode(), decode) : decode();
  }

  close(): void {}

  /** The buffer was committed or cleared: a new buffer starts (a running decode still reports, for its item). */
  reset(): void {
    this.voicedEnd = 0;
    this.pending = undefined;
    this.decoded = undefined;
    this.generation++;
    this.running = false;
    this.decodedBytes = 0;
    this.last = '';
    this.voiced = false;
    this.latest = undefined;
  }
}
