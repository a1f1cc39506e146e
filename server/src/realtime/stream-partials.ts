// Recognition of the input buffer with a streaming recogniser of the session's own
// (engines/sphinx-stream.ts): each appended chunk is downsampled as it comes and fed to the
// decoder, whose hypothesis of the utterance so far becomes a partial transcript when it changes;
// the commit ends the utterance, and its final hypothesis is the transcript at once. Audio before
// the first voiced chunk is held (its last 300 ms are fed with that chunk): leading silence makes
// PocketSphinx worse. If the recogniser fails, the final transcript is a one-shot decode of the
// buffer by the shared warm recognisers, so nothing said is lost.
import type { EngineContext } from '../engines/context.ts';
import type { StreamRecogniser } from '../engines/sphinx-stream.ts';
import { Downsampler24to16, RECOGNISER_RATE } from './audio.ts';
import { loud, recognise, type BufferRecogniser } from './partials.ts';
import type { RealtimeStats } from './stats.ts';

/** Quiet audio kept before the first voiced chunk, at 16 kHz (bytes). */
const LEAD_BYTES = RECOGNISER_RATE * 2 * 0.3;

export class StreamingPartials implements BufferRecogniser {
  private down = new Downsampler24to16();
  private lead: Buffer[] = [];
  private voiced = false;
  private last = '';
  /** The recogniser failed: the final transcript is a one-shot decode. */
  private failed = false;

  constructor(
    private readonly stream: StreamRecogniser,
    private readonly engines: EngineContext,
    private readonly stats: RealtimeStats,
    private readonly onPartial: (transcript: string, delta: string, itemId: string) => void,
  ) {
    this.begin();
  }

  update(_pcm: () => Buffer, _bytes: number, itemId: string, chunk: Buffer): void {
    const pcm16 = this.down.push(chunk);
    if (!this.voiced) {
      this.lead.push(pcm16);
      let bytes = this.lead.reduce((n, b) => n + b.length, 0);
      while (this.lead.length > 1 && bytes - this.lead[0]!.length >= LEAD_BYTES) bytes -= this.lead.shift()!.length;
      if (!loud(chunk)) return;
      this.voiced = true;
    }
    const audio = this.voiced && this.lead.length ? Buffer.concat(this.lead.splice(0)) : pcm16;
    if (this.failed || !audio.length) return;
    const t0 = performance.now();
    this.stream
      .feed(audio)
      .then(({ text }) => {
        this.stats.partialDecodes++;
        this.stats.partialDecodeMs.push(Math.round(performance.now() - t0));
        if (!text || text === this.last) return;
        const delta = text.startsWith(this.last) ? text.slice(this.last.length) : '';
        this.last = text;
        this.onPartial(text, delta, itemId);
      })
      .catch(() => (this.failed = true));
  }

  final(pcm: Buffer): Promise<string> {
    const decode = () => recognise(this.engines, pcm);
    // Nothing voiced was fed (quiet speech below the voiced level): the one-shot decode hears it all.
    if (this.failed || !this.voiced) return decode();
    // Both written now, in order: the reset that follows starts the next utterance behind them.
    const rest = this.down.flush();
    if (rest.length) this.stream.feed(rest).catch(() => undefined);
    return this.stream.end().then(
      ({ text }) => {
        if (!text) return decode();
        this.stats.finalsFromPartials++;
        return text;
      },
      () => decode(),
    );
  }

  reset(): void {
    this.down = new Downsampler24to16();
    this.lead = [];
    this.voiced = false;
    this.last = '';
    if (!this.failed) this.begin();
  }

  close(): void {
    this.stream.close();
  }

  private begin(): void {
    this.stream.start().catch(() => (this.failed = true));
  }
}
