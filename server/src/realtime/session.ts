// One realtime session (one WebSocket): the subset of the OpenAI Realtime protocol that
// DESIGN.md section 1 lists. The client's own VAD ends turns (turn_detection stays null):
// input_audio_buffer.append fills the buffer (partial transcripts while it fills), commit turns it
// into a user item (final transcript), response.create answers the conversation so far.
// Every problem with one event is an `error` event naming it; the session goes on.
import type { WebSocket } from 'ws';
import type { AppContext } from '../context.ts';
import type { ChatMessage } from '../chat/knowledge-responder.ts';
import { PROTOCOL_RATE, pcmMs } from './audio.ts';
import { PartialRecogniser, type BufferRecogniser } from './partials.ts';
import { StreamingPartials } from './stream-partials.ts';
import { RealtimeResponse, newId } from './response.ts';
import { EventError, SessionConfig } from './session-config.ts';
import { Speculation, Speculator } from './speculation.ts';
import { count, type RealtimeStats } from './stats.ts';

export interface RealtimeLimits {
  /** Decoded audio bytes in one append (default 1 MiB, ~22 s). */
  maxAppendBytes: number;
  /** Decoded audio bytes in the input buffer (default 60 s). */
  maxBufferBytes: number;
}

type ClientEvent = { type: string; event_id?: string; [k: string]: unknown };
interface Item {
  id: string;
  role: 'user' | 'assistant';
  text: Promise<string>;
}

const MIN_COMMIT_MS = 100;

export class RealtimeSession {
  private readonly id = newId('sess');
  private readonly config = new SessionConfig();
  private buffer: Buffer[] = [];
  private bufferBytes = 0;
  private bufferItemId = newId('item');
  private readonly items: Item[] = [];
  private response: RealtimeResponse | undefined;
  private readonly partials: BufferRecogniser;
  /** Items whose final transcript was sent. */
  private readonly finals = new Set<string>();
  private readonly speculator = new Speculator((text) => this.speculate(text));

  constructor(
    private readonly ws: WebSocket,
    private readonly app: AppContext,
    private readonly stats: RealtimeStats,
    private readonly limits: RealtimeLimits,
  ) {
    const onPartial = (transcript: string, delta: string, item_id: string) => {
      // Never after the item's final transcript.
      if (!this.finals.has(item_id)) this.send({ type: 'conversation.item.input_audio_transcription.delta', item_id, content_index: 0, delta, transcript });
      if (item_id === this.bufferItemId) this.speculator.partial(transcript);
    };
    // A streaming recogniser of its own when one is free, else re-decodes on the shared ones.
    const stream = app.engines.sphinxStreams?.lease();
    if (stream) stats.streamed++;
    this.partials = stream ? new StreamingPartials(stream, app.engines, stats, onPartial) : new PartialRecogniser(app.engines, stats, onPartial);
    ws.on('message', (data, isBinary) => this.receive(data as Buffer, isBinary));
    ws.on('close', () => {
      this.response?.abort.abort();
      this.speculator.close();
      this.partials.close();
    });
    this.send({ type: 'session.created', session: this.config.json(this.id) });
  }

  private send(event: Record<string, unknown>): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(JSON.stringify({ event_id: newId('event'), ...event }));
  }

  private error(code: string, message: string, event_id?: string, param?: string): void {
    this.send({ type: 'error', error: { type: 'invalid_request_error', code, message, param: param ?? null, event_id: event_id ?? null } });
  }

  private receive(data: Buffer, isBinary: boolean): void {
    let event: ClientEvent;
    try {
      if (isBinary) throw new EventError('invalid_json', 'Binary frames are not events: send JSON text frames.');
      const parsed = JSON.parse(data.toString('utf8')) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || typeof (parsed as ClientEvent).type !== 'string') {
        throw new EventError('invalid_event', 'An event must be a JSON object with a string "type".');
      }
      event = parsed as ClientEvent;
    } catch (e) {
      count(this.stats.received, '(invalid)');
      this.error(e instanceof EventError ? e.code : 'invalid_json', e instanceof EventError ? e.message : `The event is not valid JSON: ${(e as Error).message}`);
      return;
    }
    count(this.stats.received, event.type);
    try {
      this.dispatch(event);
    } catch (e) {
      if (!(e instanceof EventError)) throw e;
      this.error(e.code, e.message, event.event_id, e.param);
    }
  }

  private dispatch(e: ClientEvent): void {
    switch (e.type) {
      case 'session.update':
        this.config.update(e.session);
        return this.send({ type: 'session.updated', session: this.config.json(this.id) });
      case 'input_audio_buffer.append':
        return this.append(e);
      case 'input_audio_buffer.commit':
        return this.commit();
      case 'input_audio_buffer.clear':
        this.speculator.clear();
        this.resetBuffer();
        return this.send({ type: 'input_audio_buffer.cleared' });
      case 'response.create':
        return this.createResponse(e);
      case 'response.cancel':
        return this.cancel();
      case 'conversation.item.truncate':
        return this.truncate(e);
      default:
        throw new EventError('unknown_event', `Unknown event type ${JSON.stringify(e.type).slice(0, 80)}; this server speaks session.update, input_audio_buffer.append/commit/clear, response.create/cancel and conversation.item.truncate.`, 'type');
    }
  }

  private append(e: ClientEvent): void {
    if (typeof e.audio !== 'string') throw new EventError('invalid_value', '"audio" must be base64 PCM16 at 24 kHz.', 'audio');
    // Refuse before decoding: base64 is 4/3 of the bytes.
    if ((e.audio.length * 3) / 4 > this.limits.maxAppendBytes + 3) {
      throw new EventError('audio_too_large', `One append carries at most ${this.limits.maxAppendBytes} bytes of audio (${pcmMs(this.limits.maxAppendBytes, PROTOCOL_RATE).toFixed(0)} ms); send it in smaller appends.`, 'audio');
    }
    const pcm = Buffer.from(e.audio, 'base64');
    if (pcm.length % 2) throw new EventError('invalid_value', '"audio" must hold whole 16-bit samples.', 'audio');
    if (this.bufferBytes + pcm.length > this.limits.maxBufferBytes) {
      throw new EventError('input_audio_buffer_full', `The input audio buffer holds at most ${(pcmMs(this.limits.maxBufferBytes, PROTOCOL_RATE) / 1000).toFixed(0)} s; commit or clear it.`, 'audio');
    }
    this.buffer.push(pcm);
    this.bufferBytes += pcm.length;
    this.partials.update(() => (this.buffer = [Buffer.concat(this.buffer)])[0]!, this.bufferBytes, this.bufferItemId, pcm);
    this.speculator.audio(pcm);
  }

  private resetBuffer(): void {
    this.buffer = [];
    this.bufferBytes = 0;
    this.bufferItemId = newId('item');
    this.partials.reset();
  }

  private commit(): void {
    const ms = pcmMs(this.bufferBytes, PROTOCOL_RATE);
    if (ms < MIN_COMMIT_MS) {
      throw new EventError('input_audio_buffer_commit_empty', `The input audio buffer holds ${ms.toFixed(0)} ms; at least ${MIN_COMMIT_MS} ms are needed to commit.`);
    }
    const pcm = Buffer.concat(this.buffer);
    const id = this.bufferItemId;
    const previous = this.items.at(-1)?.id ?? null;
    const committedAt = performance.now();
    const final = this.partials.final(pcm);
    this.speculator.commit();
    this.resetBuffer();
    const text = final.then(
      (transcript) => {
        this.finals.add(id);
        this.app.realtimeTimed?.('commit_to_final_transcript', performance.now() - committedAt);
        this.send({ type: 'conversation.item.input_audio_transcription.completed', item_id: id, content_index: 0, transcript });
        return transcript;
      },
      (err: Error) => {
        this.finals.add(id);
        this.send({ type: 'conversation.item.input_audio_transcription.failed', item_id: id, content_index: 0, error: { type: 'transcription_error', message: err.message } });
        return '';
      },
    );
    this.items.push({ id, role: 'user', text });
    this.send({ type: 'input_audio_buffer.committed', previous_item_id: previous, item_id: id });
    this.send({ type: 'conversation.item.created', previous_item_id: previous, item: { id, type: 'message', role: 'user', content: [{ type: 'input_audio', transcript: null }] } });
  }

  private createResponse(e: ClientEvent): void {
    if (this.response) throw new EventError('conversation_already_has_active_response', `Response ${this.response.id} is still in progress; cancel it first.`);
    const r = e.response as { output_modalities?: unknown; modalities?: unknown } | undefined;
    const modalities = (r?.output_modalities ?? r?.modalities ?? this.config.output_modalities) as unknown;
    const audio = Array.isArray(modalities) ? modalities.includes('audio') : true;
    const last = this.items.at(-1);
    const speculation = this.speculator.take(last?.role === 'user' ? last.id : undefined, audio);
    const response = speculation?.response ?? new RealtimeResponse(this.app, (ev) => this.send(ev), this.countDelta);
    this.response = response;
    response.askedAt = performance.now();
    this.send({ type: 'response.created', response: response.toJSON() });
    let run: Promise<void>;
    if (speculation) {
      // Prepared while the user paused: it answers the words heard then (the final transcript
      // is counted when it differs).
      this.stats.speculationsAdopted++;
      void last!.text.then((t) => t !== speculation.text && this.stats.speculationMismatches++);
      speculation.adopt((ev) => this.send(ev));
      run = speculation.done.then((err) => {
        if (err) throw err;
      });
    } else {
      const items = [...this.items];
      run = (async () => response.run({ audio, voice: this.config.voice, messages: await this.messages(items) }))();
    }
    void run
      .catch((err: Error) => {
        if (response.cancelled) return;
        response.status = 'failed';
        this.send({ type: 'error', error: { type: 'server_error', code: 'response_failed', message: `The response failed: ${err.message}`, param: null, event_id: e.event_id ?? null } });
      })
      // response.done never comes before the final transcript of the item it answers (an adopted
      // speculation can finish first); a cancel ends it at once all the same.
      .then(() => last?.text)
      .finally(() => {
        if (response.status === 'in_progress') response.status = 'cancelled';
        if (response.status !== 'cancelled' || this.response === response) this.finish(response);
      });
  }

  private readonly countDelta = (r: RealtimeResponse) => {
    this.stats.audioDeltas++;
    if (r.cancelled) this.stats.audioDeltasAfterCancel++;
    if (r.askedAt !== undefined) this.app.realtimeTimed?.('create_to_first_audio', performance.now() - r.askedAt);
    r.askedAt = undefined;
  };

  private async messages(items: Item[], user?: string): Promise<ChatMessage[]> {
    const messages: ChatMessage[] = this.config.instructions ? [{ role: 'system', content: this.config.instructions }] : [];
    for (const item of items) messages.push({ role: item.role, content: await item.text });
    return user === undefined ? messages : [...messages, { role: 'user', content: user }];
  }

  /** The answer to the buffer's words so far, prepared in the background (realtime/speculation.ts). */
  private speculate(text: string): Speculation | undefined {
    if (this.response) return undefined;
    this.stats.speculations++;
    const audio = this.config.output_modalities.includes('audio');
    return new Speculation(this.app, this.bufferItemId, text, audio, this.config.voice, this.messages([...this.items], text), this.countDelta);
  }

  /** Ends a response once: the assistant item joins the conversation, response.done is sent. */
  private finish(response: RealtimeResponse): void {
    if (this.response !== response) return;
    this.response = undefined;
    if (response.status === 'cancelled') this.stats.cancelled++;
    if (response.text) this.items.push({ id: response.itemId, role: 'assistant', text: Promise.resolve(response.text) });
    this.send({ type: 'response.done', response: response.toJSON() });
  }

  private cancel(): void {
    const response = this.response;
    if (!response) throw new EventError('response_cancel_not_active', 'There is no response in progress to cancel.');
    response.abort.abort();
    response.status = 'cancelled';
    this.finish(response);
  }

  private truncate(e: ClientEvent): void {
    const item = this.items.find((i) => i.id === e.item_id);
    if (!item || item.role !== 'assistant') throw new EventError('item_not_found', `No assistant item ${JSON.stringify(e.item_id)} to truncate.`, 'item_id');
    const end = e.audio_end_ms;
    if (typeof end !== 'number' || !(end >= 0)) throw new EventError('invalid_value', '"audio_end_ms" must be a number >= 0.', 'audio_end_ms');
    this.stats.lastTruncate = { item_id: item.id, audio_end_ms: end };
    this.send({ type: 'conversation.item.truncated', item_id: item.id, content_index: e.content_index ?? 0, audio_end_ms: end });
  }
}
