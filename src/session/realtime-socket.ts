import type { EnginesController } from '../controllers/engines-controller.js';
import { endpointOf } from '../config/config.js';
import { iso639_1 } from '../engines/remote/language.js';
import { RealtimeClient, type RealtimeEvent } from '../engines/realtime/realtime-client.js';
import type { VoiceAssistantError } from '../errors.js';
import { VoiceCircuitEvent, type CircuitState } from '../events/voice-circuit-event.js';
import type { SessionHost } from './session-host.js';

const BACKOFF = { firstMs: 500, maxMs: 15_000 };

/**
 * The socket of a realtime session (`RealtimeLink`): opened from the element's attributes with
 * the page's short-lived token, and after a failure opened again with exponential backoff and
 * jitter; `voice-circuit` (engine `realtime`) reports open, half-open and closed. The first
 * refusal of a session is reported to the page; a dropped socket only shows in `voice-circuit`.
 */
export class RealtimeSocket {
  client?: RealtimeClient;
  private connecting?: Promise<void>;
  private failures = 0;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private stopped = true;
  private circuit: CircuitState = 'closed';

  constructor(
    private readonly host: SessionHost,
    private readonly engines: EnginesController,
    private readonly report: (e: VoiceAssistantError) => void,
    private readonly on: { event(e: RealtimeEvent): void; lost(e: VoiceAssistantError): void },
  ) {}

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.client?.close();
    this.client = undefined;
  }

  private async connect(): Promise<void> {
    if (this.connecting || this.stopped || this.client?.open) return this.connecting;
    const c = this.host.config;
    const language = iso639_1(c.language);
    this.connecting = (async () => {
      try {
        const token = await this.engines.token();
        const client = await RealtimeClient.open({
          endpoint: endpointOf(c, 'chat') ?? '',
          ...(token ? { token } : {}),
          ...(c.chatModel ? { model: c.chatModel } : {}),
          ...(c.instructions ? { instructions: c.instructions } : {}),
          ...(c.voice ? { voice: c.voice } : {}),
          ...(c.sttModel ? { transcriptionModel: c.sttModel } : {}),
          ...(language ? { language } : {}),
          onEvent: (e) => this.on.event(e),
          onClose: (e) => this.lost(e),
        });
        if (this.stopped) return client.close();
        this.client = client;
        this.failures = 0;
        this.setCircuit('closed');
      } catch (e) {
        this.failed(e as VoiceAssistantError, true);
      } finally {
        this.connecting = undefined;
      }
    })();
    return this.connecting;
  }

  private lost(error: VoiceAssistantError) {
    this.client = undefined;
    this.host.debugLog('realtime socket lost', error.message);
    this.on.lost(error);
    this.failed(error, false);
  }

  private failed(error: VoiceAssistantError, opening: boolean) {
    this.failures++;
    this.setCircuit('open');
    if (opening && this.failures === 1) this.report(error);
    if (this.stopped) return;
    const base = Math.min(BACKOFF.maxMs, BACKOFF.firstMs * 2 ** (this.failures - 1));
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.setCircuit('half-open');
      void this.connect();
    }, base / 2 + Math.random() * base);
  }

  private setCircuit(state: CircuitState) {
    if (state === this.circuit) return;
    this.circuit = state;
    this.host.dispatchEvent(new VoiceCircuitEvent({ engine: 'realtime', operation: 'stt', state }));
  }
}
