import type { PropertyValues } from '@lit/reactive-element';
import { ATTRIBUTE_NAMES, propertyName } from './config/attributes.js';
import { resolveConfig, type VoiceConfig } from './config/config.js';
import { converter, defaultOf } from './config/converters.js';
import { registeredEngineNames } from './config/parsers.js';
import type { RateLimits } from './config/rate-limit.js';
import { toVoiceError, VoiceAssistantError } from './errors.js';
import type { VoiceState } from './events/voice-state-event.js';
import { loadChunk } from './internal/loader.js';
import { PreloadController } from './controllers/preload-controller.js';
import { RemoteConfigController } from './controllers/remote-config-controller.js';
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
 * @csspart input - The text field for typing instead of speaking (`text-input`).
 * @csspart send - The button that sends the typed text.
 * @csspart close - The control that stops the assistant and closes the panel (Escape too).
 * @csspart mute - The toggle that mutes the spoken answers (captions go on).
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
 * @event {{ text: string, final: boolean, engine: string, latencyMs: number, respond?: (answer: string | Promise<string> | AsyncIterable<string>) => void }} voice-transcript - What the user said (`engine` is `text` for a message typed in the panel or given to `send()`).
 * @event {{ phrase: string, text: string, confidence: number }} voice-command - A spoken phrase matched one of `commands`.
 * @event {{ text: string, final: boolean }} voice-response - The assistant's answer, streamed.
 * @event {{ code: string, message: string, recoverable: boolean }} voice-error - A problem, never thrown: codes `invalid-config`, `mic-denied`, `mic-unavailable`, `unsupported`, `asset-load`, `engine-failed`, `rate-limited`, `timeout`, `blocked-by-csp` (the page's Content-Security-Policy blocked a worker, worklet or WebAssembly; the message names the directive), `gesture-required` (`start()` was called outside a click or key press: the microphone stays closed).
 * @event {{ operation: string, retryAfterMs: number }} voice-rate-limited - A call was over the client-side budget and was not sent, or a server answered 429 (HTTP "Too Many Requests"); `retryAfterMs` is when to try again.
 * @event {{ engine: string, operation: string, state: 'open' | 'half-open' | 'closed' }} voice-circuit - A circuit breaker changed state.
 * @event {{ assignments: Record<string, string> }} voice-variant - Feature toggles and A/B variants in force.
 * @event {{ speechEndToTranscriptMs: number, transcriptToFirstTokenMs: number, firstTokenToFirstAudioMs: number, speechEndToFirstAudioMs: number, bargeInMs?: number }} voice-metrics - Timings of one turn.
 *
 * @example
 * <script type="module" src="https://cdn.example/voice-assistant/dist/voice-assistant.js"></script>
 * <voice-assistant endpoint="/v1" token-url="/token"></voice-assistant>
 */
export class VoiceAssistant extends HostElement implements SessionHost {
  static override styles = styles;
  /** Every attribute of the contract as a reflected property, with its converter (src/config/attributes.ts). */
  static override properties = {
    ...Object.fromEntries(ATTRIBUTE_NAMES.map((name) => [propertyName(name), { attribute: name, reflect: true, converter: converter(name) }])),
    panel: { state: true },
  };

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
  mode: VoiceConfig['mode'] = 'conversation';
  /** Ordered failover list of speech-to-text engines; default `remote local` with `endpoint` or `stt-endpoint`, else `local`. */
  stt?: readonly string[];
  /** Ordered failover list of text-to-speech engines (`remote`, `local`, `browser`, `none`). */
  tts?: readonly string[];
  /** Where answers come from in conversation mode: `remote` or `none` (the page answers). */
  chat?: VoiceConfig['chat'];
  /** Base URL of an OpenAI-compatible API, e.g. `https://api.example.com/v1`. */
  endpoint?: string;
  /** Base URL for speech-to-text only (`/audio/transcriptions`), overriding `endpoint` for it. */
  sttEndpoint?: string;
  /** Base URL for text-to-speech only (`/audio/speech`), overriding `endpoint` for it. */
  ttsEndpoint?: string;
  /** Base URL for chat only (`/chat/completions`), overriding `endpoint` for it. */
  chatEndpoint?: string;
  /** URL returning `{"token", "expires_in"}`; the token is sent as a bearer to every endpoint. */
  tokenUrl?: string;
  /** Speech-to-text model name passed to the remote API. */
  sttModel?: string;
  /** Text-to-speech model name passed to the remote API. */
  ttsModel?: string;
  /** Chat model name passed to the remote API. */
  chatModel?: string;
  /** Voice name for speech. */
  voice?: string;
  /** System prompt for the remote chat. */
  instructions?: string;
  /** Phrases for command mode (attribute: separated by `;`). */
  commands: readonly string[] = [];
  /** BCP 47 language tag for the panel's messages (en, es, de, ar, ja; Arabic right to left), recognition and speech; without it, the page's `lang`. */
  language = 'en-US';
  /** Speech probability (0..1) that starts speech. */
  vadThreshold = 0.5;
  /** Milliseconds of silence that end an utterance. */
  silenceMs = 500;
  /** Hard cap on one utterance in seconds; longer speech is cut and sent. */
  maxUtteranceS = 30;
  /**
   * The browser's processing of the microphone: `auto` (the set measured to keep recognition
   * on human speech best, see the README), `none` (raw), or any of `echo-cancellation`,
   * `noise-suppression`, `auto-gain-control`, space-separated. Applies from the next `start()`.
   */
  audioProcessing = 'auto';
  /** Whether user speech stops the assistant speaking. */
  bargeIn = true;
  /** Client-side budget per operation, e.g. `stt=20/min,300/h;tts=30/min;chat=20/min`, or `none`. */
  rateLimit: RateLimits = defaultOf('rate-limit') as RateLimits;
  /** When code and models load: `none`, `hover`, `idle` or `eager`. */
  preload: VoiceConfig['preload'] = 'hover';
  /** `floating` (launcher in a corner) or `inline` (in the page flow). */
  variant: VoiceConfig['variant'] = 'floating';
  /**
   * URL of a JSON document (schema: `remote-config.schema.json` in the package) with attribute
   * defaults per environment and feature toggles; the last valid one is kept for offline starts
   * and refreshed when the page becomes visible again. Attributes on the tag win over it.
   */
  configUrl?: string;
  /**
   * `http` (one request per step of a turn) or `realtime`: one WebSocket per listening session to
   * `{endpoint}/realtime` speaking the OpenAI Realtime protocol: audio streamed while the user
   * speaks, partial transcripts (`voice-transcript` with `final: false`), the answer's audio
   * streamed; when the socket fails, turns go through the `http` engines (nothing said is lost).
   */
  transport: VoiceConfig['transport'] = 'http';
  /** `none`, or `history`: the conversation's text (never audio) kept in IndexedDB and shown again after a reload; the panel's Forget (or `reset()`) clears it. */
  persist: VoiceConfig['persist'] = 'none';
  /** `development`, `staging` or `production`: the section of the `config-url` document used. */
  environment?: VoiceConfig['environment'];
  /** User groups for feature targeting. */
  groups: readonly string[] = [];
  /** Text the user must accept before the microphone opens; the answer is remembered per origin for that exact text (localStorage), and `revokeConsent()` withdraws it. */
  consent?: string;
  /** A text field in the panel for typing instead of speaking (`text-input="false"` turns it off). */
  textInput = true;
  /** Where aggregated, anonymous metrics are sent with `sendBeacon` (opt-in). */
  metricsUrl?: string;
  /** Where lazy assets are fetched from; default: the folder of the module itself. */
  assetBase?: string;
  /** Log pipeline events and timings to the console. */
  debug = false;

  /** The page's own brain for conversation mode when `chat="none"`. */
  responder?: Responder;

  /**
   * Phrases the local recogniser (`stt="local"`) listens for outside command mode; empty means
   * open dictation, which needs a remote engine. In command mode `commands` is the grammar.
   */
  grammar: readonly string[] = [];

  private panel?: PanelModule;
  private session?: Session;

  /** @private */
  readonly preloader = new PreloadController(this, () => this.loadSession().then((s) => s.preload()));
  /** @private */
  readonly remoteConfig = new RemoteConfigController(this);

  /** The current state of the pipeline. */
  get state(): VoiceState {
    return this.machine.state;
  }

  /**
   * The whole configuration in force (frozen): the tag's attributes, then what the `config-url`
   * document sets (its toggles, its environment's attributes, its defaults), then the built-in
   * defaults; invalid values are replaced by defaults.
   */
  get config(): VoiceConfig {
    const remote = this.remote?.attributes ?? {};
    const raw = Object.fromEntries(ATTRIBUTE_NAMES.map((n) => [n, this.getAttribute(n) ?? remote[n] ?? null]));
    // Without a `language` (on the tag or from the document), the language of the page around the element (its `lang`).
    raw.language ??= this.closest('[lang]')?.getAttribute('lang') ?? null;
    return (this.configCache ??= resolveConfig(raw, this.remote ?? {}).config);
  }

  /** @internal Folder of lazy assets, with a trailing slash. */
  get assetFolder(): string {
    const base = new URL(this.config.assetBase ?? './', import.meta.url).href;
    return base.endsWith('/') ? base : `${base}/`;
  }

  /**
   * Opens the microphone and starts listening. Never throws; problems fire `voice-error`. Only in
   * a user gesture (privacy by default): called from a click or key press (the launcher, the
   * consent prompt's accept, or the page's own button), else `voice-error` `gesture-required` and
   * the microphone stays closed.
   */
  async start(): Promise<void> {
    if (navigator.userActivation?.isActive === false) return this.report(new VoiceAssistantError('gesture-required', 'Press the button to talk.'));
    const consent = this.config.consent;
    if (consent && !this.consented) {
      this.asking = true;
      await this.loadSession().catch((e: unknown) => this.report(toVoiceError(e, 'asset-load')));
      if (!this.panel?.consentGiven(consent)) return;
      this.asking = false;
      this.consented = true;
    }
    if (!this.machine.can('activate')) return;
    // Click -> listening counts from here (DevTools shows it; the metrics read it).
    performance.mark('voice-assistant: activate');
    this.machine.send('activate');
    try {
      await this.remoteConfig.ready();
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
  speak(text: string): Promise<void> {
    return this.withSession((s) => s.speak(String(text)));
  }

  /**
   * Sends `text` as the user's turn, as if spoken: `voice-transcript` (engine `text`), the answer
   * as captions, spoken unless muted. Never opens the microphone (the panel's text field calls it).
   */
  async send(text: string): Promise<void> {
    text = String(text).trim();
    if (!text) return;
    this.open = true;
    await this.withSession((s) => s.send(text));
  }

  /** Forgets the conversation history. */
  reset(): void {
    this.session?.reset();
    this.lines = [];
  }

  /** Resends the last utterance that every engine failed on. */
  retry(): Promise<void> {
    return this.withSession((s) => s.retry());
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

  /** Runs `f` on the session (loaded if need be); a failure is reported, never thrown. */
  private async withSession(f: (s: Session) => Promise<void>): Promise<void> {
    try {
      await f(await this.loadSession());
    } catch (e) {
      this.report(toVoiceError(e, 'engine-failed'));
    }
  }

  /**
   * Withdraws the visitor's consent: stops listening and forgets the remembered answer, so the
   * `consent` text is asked again before the microphone next opens.
   */
  async revokeConsent(): Promise<void> {
    this.stop();
    this.consented = false;
    await this.loadSession().catch(() => undefined);
    this.panel?.rememberConsent(undefined);
  }

  /** @internal Answer of the consent prompt (remembered per origin when accepted). */
  override accept(ok: boolean) {
    this.panel?.rememberConsent(ok ? this.config.consent : undefined);
    super.accept(ok);
  }

  /** @internal Push-to-talk let go (see `press`). */
  protected release() {
    void this.loadSession().then((s) => s.release(), () => undefined);
  }

  /** @internal The spoken answers are muted or unmuted (see `toggleMute`). */
  protected mute(on: boolean) {
    this.session?.mute(on);
  }

  protected override update(changed: PropertyValues) {
    super.update(changed);
    const container = renderLauncher(this, this.renderRoot);
    this.panel?.renderPanel(this, container);
  }
}

customElements.define('voice-assistant', VoiceAssistant);

declare global {
  interface HTMLElementTagNameMap {
    'voice-assistant': VoiceAssistant;
  }
}
