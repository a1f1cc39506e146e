import type { PlaybackQueue, Queued } from '../../audio/playback-queue.js';
import { limitText, TTS_MAX_CHARS } from './sentence-splitter.js';
import type { EngineChain } from '../engine-chain.js';
import type { TtsEngine } from './tts-engine.js';

/** One spoken answer: sentences go in as they are complete; audio comes out in order. */
export interface SpeechJob {
  say(sentence: string): void;
  /** No more sentences will come. */
  end(): void;
  /** When the first sample is heard (`performance.now()`), or undefined if nothing was. */
  readonly firstAudio: Promise<number | undefined>;
  /** Everything was played, or the job was aborted. */
  readonly done: Promise<void>;
  /** Whether audio of this job has started and the job is not done. */
  readonly audible: boolean;
}

export interface SentenceSpeakerOptions {
  chain: () => EngineChain<TtsEngine>;
  language: () => string;
  voice: () => string | undefined;
  /** A sentence every engine failed on (reported once per job; the rest is still tried). */
  onError(error: unknown): void;
  /** Characters per TTS request (default TTS_MAX_CHARS); longer sentences are split, never dropped. */
  maxChars?: number;
  /** Whether speech is muted now: sentences are then skipped (the text is still shown). */
  muted?(): boolean;
  /** Told when a sentence had to be split. */
  onWarning?(message: string): void;
}

/**
 * Text to speech, sentence by sentence: sentence n+1 is synthesised while sentence n plays, and
 * at most one synthesised sentence waits, so an abort (barge-in) wastes little work.
 */
export class SentenceSpeaker {
  constructor(
    private readonly queue: PlaybackQueue,
    private readonly options: SentenceSpeakerOptions,
  ) {}

  /**
   * Starts an answer. With `hold`, sentences are synthesised at once but nothing is played
   * before `hold` resolves (an answer prepared while the user pauses).
   */
  begin(signal: AbortSignal, options: { hold?: Promise<unknown> } = {}): SpeechJob {
    const sentences: string[] = [];
    let ended = false;
    let wake = () => {};
    let audible = false;
    let first: number | undefined;
    let heard!: (at: number | undefined) => void;
    const firstAudio = new Promise<number | undefined>((r) => (heard = r));
    let reported = false;
    const played: Queued[] = [];

    const next = async (i: number): Promise<string | undefined> => {
      while (i >= sentences.length && !ended && !signal.aborted) await new Promise<void>((r) => (wake = r));
      return signal.aborted ? undefined : sentences[i];
    };

    const run = async () => {
      const chain = this.options.chain();
      for (let i = 0; ; i++) {
        const sentence = await next(i);
        if (sentence === undefined) break;
        // Keep one sentence playing and one ready: wait for the one before the previous to end.
        if (i >= 2) await Promise.race([played[i - 2]!.done, aborted(signal)]);
        if (signal.aborted) break;
        // Muted: skipped, also when the mute came while the sentence was being synthesised.
        const muted = () => this.options.muted?.() && (played[i] = { started: Promise.resolve(0), done: Promise.resolve() });
        if (muted()) continue;
        try {
          const { value } = await chain.run(
            (e, callSignal) => e.synthesize({ text: sentence, voice: this.options.voice(), language: this.options.language(), signal: callSignal }),
            signal,
          );
          if (options.hold) await Promise.race([options.hold, aborted(signal)]);
          if (signal.aborted) break;
          if (muted()) continue;
          const q = this.queue.enqueue(value);
          played[i] = q;
          void q.started.then((at) => {
            if (signal.aborted) return;
            audible = true;
            first ??= at;
            heard(first);
          });
        } catch (e) {
          if (signal.aborted) break;
          played[i] = { started: Promise.resolve(0), done: Promise.resolve() };
          if (!reported) this.options.onError(e);
          reported = true;
        }
      }
      await Promise.race([Promise.all(played.map((q) => q?.done)), aborted(signal)]);
      audible = false;
    };

    const done = run().finally(() => heard(first));
    signal.addEventListener('abort', () => (wake(), heard(first)), { once: true });
    return {
      say: (s) => {
        const max = this.options.maxChars ?? TTS_MAX_CHARS;
        const parts = limitText(s, max);
        if (parts.length > 1) this.options.onWarning?.(`a sentence of ${s.length} characters was split into ${parts.length} parts of at most ${max} for speech synthesis.`);
        sentences.push(...parts);
        wake();
      },
      end: () => {
        ended = true;
        wake();
      },
      firstAudio,
      done,
      get audible() {
        return audible;
      },
    };
  }
}

const aborted = (signal: AbortSignal) =>
  new Promise<void>((r) => (signal.aborted ? r() : signal.addEventListener('abort', () => r(), { once: true })));
