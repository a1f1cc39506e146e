import type { PropertyValues } from '@lit/reactive-element';
import { customElement, property, state } from 'lit/decorators.js';
import { ATTRIBUTE_NAMES } from './config/attributes.js';
import { resolveConfig, type VoiceConfig } from './config/config.js';
import { converter, defaultOf } from './config/converters.js';
import { registeredEngineNames } from './config/parsers.js';
import type { RateLimits } from './config/rate-limit.js';
import { toVoiceError } from './errors.js';
import type { VoiceState } from './events/voice-state-event.js';
import { loadChunk } from './internal/loader.js';
import { PreloadController } from './controllers/preload-controller.js';
import { HostElement } from './element/host-element.js';
import { renderLauncher } from './element/launcher.js';
import type { RegisteredEngine } from './engines/engine-context.js';
import type { Responder } from './engines/chat/chat-engine.js';
import type { PanelModule, Session, SessionHost } from './session/session-host.js';
import { styles } from './voice-assistant.styles.js';

const engines = new Map<string, RegisteredEngine>();

/**
 * One tag that gives a page a voice assistant: the user clicks (or presses Enter), speaks,
 * and the page hears, understands and answers aloud.
 *
 * @summary An embeddable voice assistant: microphone, voice activity detection, speech
 * recognition, an answer, and speech, with local and remote engines.
 *
 * @csspart launcher - The round button that starts and stops listening.
 * @csspart panel - The box with the status, meter and transcript.
 * @csspart transcript - The list of what was said and answered.
 * @csspart status - The status line.
 * @csspart meter - The input level meter.
 *
 * @cssproperty [--voice-accent=#2563eb] - Accent colour of the launcher and meter.
 * @cssproperty [--voice-surface=#ffffff] - Background of the panel (dark scheme: #1f2937).
 * @cssproperty [--voice-text=#111827] - Text colour (dark scheme: #f9fafb).
 * @cssproperty [--voice-radius=12px] - Corner radius of the panel.
 * @cssproperty [--voice-font=system-ui, sans-serif] - Font family.
 * @cssproperty [--voice-z-index=2147483000] - Stacking order of the floating variant.
 *
 * @cssstate idle - Not listening.
 * @cssstate loading - Loading code, models or the microphone.
 * @cssstate listening - The microphone is open, waiting for speech.
 * @cssstate user-speaking - The user is speaking.
 * @cssstate transcribing - Turning speech into text.
 * @cssstate thinking - Waiting for the answer.
 * @cssstate speaking - The assistant is speaking.
 * @cssstate error - Something failed; see the status line.
 * @cssstate disabled - Cannot run here (see the `voice-error` that said why).
 *
 * @event {{ state: VoiceState, previous: VoiceState }} voice-state - The state changed.
 * @event {{ at: number }} voice-speech-start - Voice activity detection heard speech begin.
 * @event {{ at: number, durationMs: number }} voice-speech-end - The utterance ended.
 * @event {{ text: string, final: boolean, engine: string, latencyMs: number, respond?: (answer: string | Promise<string> | AsyncIterable<string>) => void }} voice-transcript - What the user said.
 * @event {{ phrase: string, text: string, confidence: number }} voice-command - A spoken phrase matched one of `commands`.
 * @event {{ text: string, final: boolean }} voice-response - The assistant's answer, streamed.
 * @event {{ code: string, message: string, recoverable: boolean }} voice-error - A problem, never thrown: codes `invalid-config`, `mic-denied`, `mic-unavailable`, `unsupported`, `asset-load`, `engine-failed`, `rate-limited`, `timeout`, `blocked-by-csp` (the page's Content-Security-Policy blocked a worker, worklet or WebAssembly; the message names the directive).
 * @event {{ operation: string, retryAfterMs: number }} voice-rate-limited - A call was over the client-side budget and was not sent, or a server answered 429 (HTTP "Too Many Requests"); `retryAfterMs` is when to try again.
 * @event {{ engine: string, operation: string, state: 'open' | 'half-open' | 'closed' }} voice-circuit - A circuit breaker changed state.
 * @event {{ assignments: Record<string, string> }} voice-variant - Feature toggles and A/B variants in force.
 * @event {{ speechEndToTranscriptMs: number, transcriptToFirstTokenMs: number, firstTokenToFirstAudioMs: number, speechEndToFirstAudioMs: number, bargeInMs?: number }} voice-metrics - Timings of one turn.
 *
 * @example
 * <script type="module" src="https://cdn.example/voice-assistant/dist/voice-assistant.js"></script>
 * <voice-assistant endpoint="/v1" token-url="/token"></voice-assistant>
 */
@customElement('voice-assistant')
export class VoiceAssistant extends HostElement implements SessionHost {
  static override styles = styles;

  /**
   * Adds a speech-to-text, text-to-speech or chat engine usable by name in the `stt`, `tts`
   * and `chat` attributes: an `EngineFactory` (`{kind, create(ctx)}`) or a function
   * `(ctx) => engine`; the engine interfaces (`SttEngine`, `TtsEngine`, `ChatEngine`) are
   * exported with the element, so a plug-in type-checks.
   */
  static registerEngine(name: string, factory: RegisteredEngine): void {
    engines.set(name.toLowerCase(), factory);
    registeredEngineNames.add(name.toLowerCase());
  }

  /** Engines added with `registerEngine`, by name. @internal */
  static get engines(): ReadonlyMap<string, RegisteredEngine> {
    return engines;
  }

  /** `conversation`, `dictation` (transcribe only) or `command` (match `commands`). */
  @property({ reflect: true, converter: converter('mode') }) mode: VoiceConfig['mode'] = 'conversation';
  /** Ordered failover list of speech-to-text engines; default `remote local` with `endpoint` or `stt-endpoint`, else `local`. */
  @property({ reflect: true, converter: converter('stt') }) stt?: readonly string[];
  /** Ordered failover list of text-to-speech engines (`remote`, `local`, `browser`, `none`). */
  @property({ reflect: true, converter: converter('tts') }) tts?: readonly string[];
  /** Where answers come from in conversation mode: `remote` or `none` (the page answers). */
  @property({ reflect: true, converter: converter('chat') }) chat?: VoiceConfig['chat'];
  /** Base URL of an OpenAI-compatible API, e.g. `https://api.example.com/v1`. */
  @property({ reflect: true, converter: converter('endpoint') }) endpoint?: string;
  /** Base URL for speech-to-text only (`/audio/transcriptions`), overriding `endpoint` for it. */
  @property({ attribute: 'stt-endpoint', reflect: true, converter: converter('stt-endpoint') }) sttEndpoint?: string;
  /** Base URL for text-to-speech only (`/audio/speech`), overriding `endpoint` for it. */
  @property({ attribute: 'tts-endpoint', reflect: true, converter: converter('tts-endpoint') }) ttsEndpoint?: string;
  /** Base URL for chat only (`/chat/completions`), overriding `endpoint` for it. */
  @property({ attribute: 'chat-endpoint', reflect: true, converter: converter('chat-endpoint') }) chatEndpoint?: string;
  /** URL returning `{"token", "expires_in"}`; the token is sent as a bearer to every endpoint. */
  @property({ attribute: 'token-url', reflect: true, converter: converter('token-url') }) tokenUrl?: string;
  /** Speech-to-text model name passed to the remote API. */
  @property({ attribute: 'stt-model', reflect: true, converter: converter('stt-model') }) sttModel?: string;
  /** Text-to-speech model name passed to the remote API. */
  @property({ attribute: 'tts-model', reflect: true, converter: converter('tts-model') }) ttsModel?: string;
  /** Chat model name passed to the remote API. */
  @property({ attribute: 'chat-model', reflect: true, converter: converter('chat-model') }) chatModel?: string;
  /** Voice name for speech. */
  @property({ reflect: true, converter: converter('voice') }) voice?: string;
  /** System prompt for the remote chat. */
  @property({ reflect: true, converter: converter('instructions') }) instructions?: string;
  /** Phrases for command mode (attribute: separated by `;`). */
  @property({ reflect: true, converter: converter('commands') }) commands: readonly string[] = [];
  /** BCP 47 language tag for recognition and speech. */
  @property({ reflect: true, converter: converter('language') }) language = 'en-US';
  /** Speech probability (0..1) that starts speech. */
  @property({ attribute: 'vad-threshold', reflect: true, converter: converter('vad-threshold') }) vadThreshold = 0.5;
  /** Milliseconds of silence that end an utterance. */
  @property({ attribute: 'silence-ms', reflect: true, converter: converter('silence-ms') }) silenceMs = 500;
  /** Hard cap on one utterance in seconds; longer speech is cut and sent. */
  @property({ attribute: 'max-utterance-s', reflect: true, converter: converter('max-utterance-s') }) maxUtteranceS = 30;
  /**
   * The browser's processing of the microphone: `auto` (the set measured to keep recognition
   * on human speech best, see the README), `none` (raw), or any of `echo-cancellation`,
   * `noise-suppression`, `auto-gain-control`, space-separated. Applies from the next `start()`.
   */
  @property({ attribute: 'audio-processing', reflect: true, converter: converter('audio-processing') }) audioProcessing = 'auto';
  /** Whether user speech stops the assistant speaking. */
  @property({ attribute: 'barge-in', reflect: true, converter: converter('barge-in') }) bargeIn = true;
  /** Client-side budget per operation, e.g. `stt=20/min,300/h;tts=30/min;chat=20/min`, or `none`. */
  @property({ attribute: 'rate-limit', reflect: true, converter: converter('rate-limit') }) rateLimit: RateLimits =
    defaultOf('rate-limit') as RateLimits;
  /** When code and models load: `none`, `hover`, `idle` or `eager`. */
  @property({ reflect: true, converter: converter('preload') }) preload: VoiceConfig['preload'] = 'hover';
  /** `floating` (launcher in a corner) or `inline` (in the page flow). */
  @property({ reflect: true, converter: converter('variant') }) variant: VoiceConfig['variant'] = 'floating';
  /** JSON with per-environment settings and feature toggles. */
  @property({ attribute: 'config-url', reflect: true, converter: converter('config-url') }) configUrl?: string;
  /** `none`, or `history`: the conversation's text (never audio) kept in IndexedDB and shown again after a reload; the panel's Forget (or `reset()`) clears it. */
  @property({ reflect: true, converter: converter('persist') }) persist: VoiceConfig['persist'] = 'none';
  /** `development`, `staging` or `production`: the section of the `config-url` document used. */
  @property({ reflect: true, converter: converter('environment') }) environment?: VoiceConfig['environment'];
  /** User groups for feature targeting. */
  @property({ reflect: true, converter: converter('groups') }) groups: readonly string[] = [];
  /** Text the user must accept before the microphone opens. */
  @property({ reflect: true, converter: converter('consent') }) consent?: string;
  /** Where aggregated, anonymous metrics are sent with `sendBeacon` (opt-in). */
  @property({ attribute: 'metrics-url', reflect: true, converter: converter('metrics-url') }) metricsUrl?: string;
  /** Where lazy assets are fetched from; default: the folder of the module itself. */
  @property({ attribute: 'asset-base', reflect: true, converter: converter('asset-base') }) assetBase?: string;
  /** Log pipeline events and timings to the console. */
  @property({ reflect: true, converter: converter('debug') }) debug = false;

  /** The page's own brain for conversation mode when `chat="none"`. */
  responder?: Responder;

  /**
   * Phrases the local recogniser (`stt="local"`) listens for outside command mode; empty means
   * open dictation, which needs a remote engine. In command mode `commands` is the grammar.
   */
  grammar: readonly string[] = [];

  @state() private panel?: PanelModule;
  private session?: Session;
  private consented = false;

  /** @private */
  readonly preloader = new PreloadController(this, () => this.loadSession().then((s) => s.preload()));

  /** The current state of the pipeline. */
  get state(): VoiceState {
    return this.machine.state;
  }

  /** The whole parsed configuration (frozen); invalid attributes are replaced by defaults. */
  get config(): VoiceConfig {
    return (this.configCache ??= resolveConfig(
      Object.fromEntries(ATTRIBUTE_NAMES.map((n) => [n, this.getAttribute(n)])),
    ).config);
  }

  /** @internal Folder of lazy assets, with a trailing slash. */
  get assetFolder(): string {
    const base = new URL(this.config.assetBase ?? './', import.meta.url).href;
    return base.endsWith('/') ? base : `${base}/`;
  }

  /** Opens the microphone and starts listening. Never throws; problems fire `voice-error`. */
  async start(): Promise<void> {
    if (this.config.consent && !this.consented) {
      this.asking = true;
      await this.loadSession().catch((e: unknown) => this.report(toVoiceError(e, 'asset-load')));
      return;
    }
    if (!this.machine.can('activate')) return;
    this.machine.send('activate');
    try {
      await (await this.loadSession()).start();
    } catch (e) {
      this.report(toVoiceError(e, 'unsupported'));
    }
  }

  /** Stops listening and speaking and releases the microphone. */
  stop(): void {
    this.asking = false;
    this.session?.stop();
    this.machine.send('stop');
  }

  /** Says `text` now, interrupting nothing the user says. */
  async speak(text: string): Promise<void> {
    try {
      await (await this.loadSession()).speak(String(text));
    } catch (e) {
      this.report(toVoiceError(e, 'engine-failed'));
    }
  }

  /** Forgets the conversation history. */
  reset(): void {
    this.session?.reset();
    this.lines = [];
  }

  /** Resends the last utterance that every engine failed on. */
  async retry(): Promise<void> {
    try {
      await (await this.loadSession()).retry();
    } catch (e) {
      this.report(toVoiceError(e, 'engine-failed'));
    }
  }

  /**
   * What the widget still holds (microphone track, worklet, workers, timers, listeners…), by
   * label; empty when idle after `stop()`. For debugging leaks.
   */
  debugHeld(): string[] {
    return this.session?.debugHeld() ?? [];
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.session?.dispose();
    this.session = undefined;
    this.machine.send('stop');
  }

  /** Loads the lazy chunk: the session (audio, engines) and the panel (the UI shown when active). */
  private async loadSession(): Promise<Session> {
    const m = await loadChunk('session', () => import('./session/lazy.js'));
    if (!this.panel) {
      this.shadowRoot?.adoptedStyleSheets.push(m.panelStyles.styleSheet!);
      this.panel = m;
    }
    return (this.session ??= m.createSession(this));
  }

  /** @internal Starts or stops (the launcher). */
  toggle() {
    if (this.machine.can('activate')) void this.start();
    else this.stop();
  }

  /** @internal Answer of the consent prompt. */
  accept(ok: boolean) {
    this.asking = false;
    this.consented = ok;
    if (ok) void this.start();
  }

  protected override update(changed: PropertyValues) {
    super.update(changed);
    const container = renderLauncher(this, this.renderRoot);
    this.panel?.renderPanel(this, container);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'voice-assistant': VoiceAssistant;
  }
}
