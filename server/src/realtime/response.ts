// One realtime response: the answer's words stream as transcript (or text) deltas, and each
// sentence is spoken by Flite as soon as it is complete, converted to the protocol's 24 kHz PCM16
// and sent as audio deltas of 100 ms; the next sentence is synthesised while this one is sent.
// Cancelling aborts the words, the synthesis and the sending at once: no delta leaves after it.
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context.ts';
import type { ChatMessage } from '../chat/knowledge-responder.ts';
import { installedVoices, resolveVoice, synthesize } from '../engines/flite.ts';
import { wavToPcm16Mono } from '../engines/sox.ts';
import { PROTOCOL_RATE, sentences } from './audio.ts';
import { answerChunks, sleep as pause } from './responder.ts';

export type Send = (event: Record<string, unknown>) => void;
export const newId = (prefix: string) => `${prefix}_${randomBytes(8).toString('hex')}`;
const DELTA_BYTES = PROTOCOL_RATE * 2 * 0.1;
/**
 * Audio is sent at most this far ahead of real time (counted from the first delta): the client
 * always has a second in hand, and the response stays in progress while it plays, so a barge-in's
 * response.cancel stops work that has not been done yet (as a model's own pacing would).
 */
export const AUDIO_LEAD_MS = 1000;

export interface ResponseOptions {
  audio: boolean;
  voice: string | undefined;
  messages: ChatMessage[];
}

export class RealtimeResponse {
  readonly id = newId('resp');
  readonly itemId = newId('item');
  readonly abort = new AbortController();
  text = '';
  /** When the client's response.create arrived (until the first audio delta is counted). */
  askedAt?: number;
  /** Milliseconds of audio sent so far. */
  audioMs = 0;
  status: 'in_progress' | 'completed' | 'cancelled' | 'failed' = 'in_progress';

  /**
   * `gate`: audio waits for it before its first delta (a speculative answer, realtime/speculation.ts,
   * prepares its first sentence's audio but sends none until it is adopted).
   */
  constructor(
    private readonly app: AppContext,
    private readonly send: Send,
    private readonly onAudioDelta: (r: RealtimeResponse) => void,
    private readonly gate?: Promise<void>,
  ) {}

  get cancelled(): boolean {
    return this.abort.signal.aborted;
  }

  /** Runs the response to its end; resolves with its final status. */
  async run(opts: ResponseOptions): Promise<void> {
    const signal = this.abort.signal;
    const base = { response_id: this.id, item_id: this.itemId, output_index: 0, content_index: 0 };
    const textEvent = opts.audio ? 'response.output_audio_transcript.delta' : 'response.output_text.delta';
    const voice = opts.audio ? resolveVoice(opts.voice, await installedVoices(this.app.engines, signal)) : '';
    let speaking = Promise.resolve();
    let pendingSentence = '';
    const speak = (sentence: string) => {
      const audio = this.pcmOf(sentence, voice, signal);
      audio.catch(() => undefined);
      speaking = speaking.then(async () => this.sendAudio(await audio, base));
      speaking.catch(() => undefined);
    };
    for await (const chunk of answerChunks(this.app, opts.messages, signal)) {
      if (signal.aborted) return;
      this.text += chunk;
      this.send({ type: textEvent, ...base, delta: chunk });
      if (!opts.audio) continue;
      pendingSentence += chunk;
      const done = sentences(pendingSentence);
      // Every sentence but the last is complete; the last is complete when it ends in punctuation.
      const complete = /[.!?]\s*$/.test(pendingSentence) ? done : done.slice(0, -1);
      for (const s of complete) speak(s);
      pendingSentence = complete.length ? pendingSentence.slice(complete.join('').length) : pendingSentence;
    }
    if (opts.audio && pendingSentence.trim()) speak(pendingSentence);
    await speaking;
    if (signal.aborted) return;
    if (opts.audio) {
      this.send({ type: 'response.output_audio.done', ...base });
      this.send({ type: 'response.output_audio_transcript.done', ...base, transcript: this.text });
    } else {
      this.send({ type: 'response.output_text.done', ...base, text: this.text });
    }
    this.status = 'completed';
  }

  private async pcmOf(sentence: string, voice: string, signal: AbortSignal): Promise<Buffer> {
    const { wav } = await synthesize(this.app.engines, sentence.trim(), voice, signal);
    return wavToPcm16Mono(this.app.engines, wav, PROTOCOL_RATE, signal);
  }

  private firstAudioAt?: number;

  private async sendAudio(pcm: Buffer, base: Record<string, unknown>): Promise<void> {
    if (this.firstAudioAt === undefined && this.gate) await this.gate;
    for (let at = 0; at < pcm.length; at += DELTA_BYTES) {
      this.firstAudioAt ??= performance.now();
      const ahead = this.audioMs - (performance.now() - this.firstAudioAt);
      if (ahead > AUDIO_LEAD_MS) await pause(ahead - AUDIO_LEAD_MS, this.abort.signal);
      if (this.cancelled) return;
      const part = pcm.subarray(at, at + DELTA_BYTES);
      this.send({ type: 'response.output_audio.delta', ...base, delta: part.toString('base64') });
      this.audioMs += (part.length / 2 / PROTOCOL_RATE) * 1000;
      this.onAudioDelta(this);
    }
  }

  /** The response object of response.created / response.done. */
  toJSON(): Record<string, unknown> {
    const content = this.text ? [{ type: 'output_audio', transcript: this.text }] : [];
    return {
      object: 'realtime.response',
      id: this.id,
      status: this.status,
      output: this.status === 'in_progress' ? [] : [{ id: this.itemId, type: 'message', role: 'assistant', content }],
    };
  }
}
