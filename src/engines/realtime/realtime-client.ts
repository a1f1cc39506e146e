import { VoiceAssistantError } from '../../errors.js';

/** A server event of the OpenAI Realtime protocol (DESIGN.md section 1, transport `realtime`). */
export type RealtimeEvent = { type: string; [k: string]: any };

export interface RealtimeClientOptions {
  /** The API base, e.g. `https://api.example.com/v1`; the socket goes to `{endpoint}/realtime`. */
  endpoint: string;
  token?: string;
  model?: string;
  /** `session.update` fields: instructions, voice, the input transcription's model and language (ISO 639-1). */
  instructions?: string;
  voice?: string;
  transcriptionModel?: string;
  language?: string;
  onEvent(event: RealtimeEvent): void;
  /** The socket closed (not by `close()`): `error` says why when the server did. */
  onClose(error: VoiceAssistantError): void;
}

/** How long the socket may take to open and say `session.created`. */
const OPEN_TIMEOUT_MS = 5000;

/**
 * One WebSocket speaking the OpenAI Realtime protocol: the credential in the subprotocols
 * (`openai-insecure-api-key.<token>`, as OpenAI documents for browsers, since a page cannot set
 * headers on a WebSocket), `turn_detection: null` (the widget's VAD ends turns), and the client
 * events of the subset. Knows nothing of the element.
 * @example
 * const c = await RealtimeClient.open({ endpoint, token, onEvent: (e) => console.log(e.type), onClose });
 * c.append(base64Pcm24k); c.commit(); c.respond();
 */
export class RealtimeClient {
  private closedByUs = false;
  private serverError?: RealtimeEvent;

  private constructor(
    private readonly ws: WebSocket,
    private readonly options: RealtimeClientOptions,
  ) {}

  /** Opens the socket and configures the session; rejects with a VoiceAssistantError saying why. */
  static open(options: RealtimeClientOptions): Promise<RealtimeClient> {
    const url = new URL(`${options.endpoint.replace(/\/+$/, '')}/realtime`);
    url.protocol = url.protocol.replace(/^http/, 'ws');
    if (options.model) url.searchParams.set('model', options.model);
    const protocols = ['realtime', ...(options.token ? [`openai-insecure-api-key.${options.token}`] : [])];
    const ws = new WebSocket(url.href, protocols);
    const client = new RealtimeClient(ws, options);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(new VoiceAssistantError('timeout', `The realtime server did not answer within ${OPEN_TIMEOUT_MS} ms.`)), OPEN_TIMEOUT_MS);
      let settled = false;
      const fail = (e: VoiceAssistantError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        client.closedByUs = true;
        ws.close();
        reject(e);
      };
      ws.onmessage = (m) => {
        const event = client.parse(m.data);
        if (!event) return;
        if (event.type === 'error' && !settled) return (client.serverError = event);
        if (event.type === 'session.created' && !settled) {
          settled = true;
          clearTimeout(timer);
          client.configure();
          ws.onmessage = (n) => {
            const e = client.parse(n.data);
            if (e) options.onEvent(e);
          };
          return resolve(client);
        }
        if (settled) options.onEvent(event);
      };
      ws.onclose = (e) => {
        if (!settled) return fail(client.closeError(e));
        if (!client.closedByUs) options.onClose(client.closeError(e));
      };
    });
  }

  /** Whether the socket is open. */
  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  append(base64Pcm24k: string): void {
    this.send({ type: 'input_audio_buffer.append', audio: base64Pcm24k });
  }

  clear(): void {
    this.send({ type: 'input_audio_buffer.clear' });
  }

  /** The turn ended: the buffer becomes the user's item, and (`respond`) an answer is asked for. */
  commit(respond: boolean): void {
    this.send({ type: 'input_audio_buffer.commit' });
    if (respond) this.send({ type: 'response.create' });
  }

  /**
   * Barge-in: the answer stops (`cancel` while the server is still producing it), and the server
   * learns how much of it the user heard.
   */
  interrupt(itemId: string | undefined, heardMs: number, cancel = true): void {
    if (cancel) this.send({ type: 'response.cancel' });
    if (itemId) this.send({ type: 'conversation.item.truncate', item_id: itemId, content_index: 0, audio_end_ms: Math.max(0, Math.round(heardMs)) });
  }

  close(): void {
    this.closedByUs = true;
    this.ws.onmessage = null;
    this.ws.close();
  }

  private configure() {
    const { instructions, voice, transcriptionModel, language } = this.options;
    const pcm = { type: 'audio/pcm', rate: 24000 };
    // OpenAI requires a model to transcribe the input (`audio.input.transcription.model`); other
    // servers choose their own when none is named.
    const transcription = { ...(transcriptionModel ? { model: transcriptionModel } : {}), ...(language ? { language } : {}) };
    this.send({
      type: 'session.update',
      session: {
        type: 'realtime',
        ...(instructions ? { instructions } : {}),
        audio: {
          input: { format: pcm, transcription, turn_detection: null },
          output: { format: pcm, ...(voice ? { voice } : {}) },
        },
      },
    });
  }

  private send(event: Record<string, unknown>) {
    if (this.open) this.ws.send(JSON.stringify(event));
  }

  private parse(data: unknown): RealtimeEvent | undefined {
    try {
      const e = JSON.parse(String(data)) as RealtimeEvent;
      return typeof e?.type === 'string' ? e : undefined;
    } catch {
      return undefined;
    }
  }

  /** A close, in words: the server's `error` event when it sent one (a refused token), else the code. */
  private closeError(e: CloseEvent): VoiceAssistantError {
    const err = this.serverError?.error as { code?: string; message?: string } | undefined;
    if (err?.message) return new VoiceAssistantError('engine-failed', `The realtime server refused the session: ${err.message}${err.code ? ` (${err.code})` : ''}`, !/token/.test(err.code ?? ''));
    return new VoiceAssistantError('engine-failed', `The realtime connection closed (code ${e.code}${e.reason ? `: ${e.reason}` : ''}).`);
  }
}
