import { ReactiveElement, type PropertyValues } from '@lit/reactive-element';
import { ATTRIBUTES, ATTRIBUTE_NAMES, propertyName, type AttributeName } from '../config/attributes.js';
import type { VoiceConfig } from '../config/config.js';
import { defaultOf, isValid } from '../config/converters.js';
import type { VoiceAssistantError } from '../errors.js';
import { VoiceErrorEvent } from '../events/voice-error-event.js';
import { VoiceStateEvent, type VoiceState } from '../events/voice-state-event.js';
import type { RemoteLayer } from '../config/remote-config.js';
import type { Progress } from '../internal/loader.js';
import type { SessionHost } from '../session/session-host.js';
import { StateMachine } from '../session/state-machine.js';
import type { TranscriptEntry } from '../ui/panel.js';

/**
 * What `<voice-assistant>` is to its lazily loaded session (`SessionHost`): the view state the
 * panel shows, the one state machine, error reports, and the attribute check that keeps a
 * default and warns once. The public element (src/voice-assistant.ts) adds the attributes and
 * methods of the contract.
 */
export abstract class HostElement extends ReactiveElement implements Omit<SessionHost, 'assetFolder' | 'grammar' | 'responder'> {
  abstract readonly config: VoiceConfig;
  abstract readonly state: VoiceState;
  abstract start(): Promise<void>;
  abstract stop(): void;
  /** Push-to-talk let go: the microphone closes once the utterance under way has ended. */
  protected abstract release(): void;
  /** The spoken answers are muted (or not) from now on. */
  protected abstract mute(on: boolean): void;

  /** Internal reactive state (re-renders, not attributes): lit's `state: true` without decorators. */
  static override properties = Object.fromEntries(['level', 'progress', 'lines', 'message', 'errorCode', 'asking', 'open', 'muted'].map((n) => [n, { state: true }]));

  /** @internal Input level 0..1 for the meter. */
  level = 0;
  /** @internal Download progress of a large asset. */
  progress: Progress | null = null;
  /** @internal Transcript lines shown in the panel. */
  lines: TranscriptEntry[] = [];
  /** @internal Status message overriding the state label (errors). */
  message = '';
  /** @internal The code of the error in `message` (the panel shows its translation, if it has one). */
  errorCode = '';
  /** @internal Whether the consent prompt is showing. */
  asking = false;
  /** @internal Whether the panel is open (the launcher opens it, its close control and Escape close it). */
  open = false;
  /** @internal Whether the user muted the spoken answers (captions go on). */
  muted = false;

  /** @internal The one owner of `state` (src/session/state-machine.ts). */
  readonly machine = new StateMachine(this);
  protected readonly internals = this.attachInternals();
  protected configCache?: VoiceConfig;
  /** @internal The `config-url` document's contribution (src/config/remote-config.ts). */
  protected remote?: RemoteLayer;
  /** Whether the user accepted the `consent` text. */
  protected consented = false;
  private readonly reported = new Set<string>();
  /** When Space went down on the launcher, and whether it was listening then. */
  private pressed?: [number, boolean];
  private nextLine = 1;

  /** @internal Whether the pipeline is running (the launcher shows pressed). */
  get active() {
    const s = this.state;
    return s !== 'idle' && s !== 'error' && s !== 'disabled';
  }

  override connectedCallback() {
    super.connectedCallback();
    this.internals.states?.add(this.state);
    this.addEventListener('keydown', this.onKey);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.onKey);
  }

  protected override willUpdate(changed: PropertyValues) {
    if (changed.size) this.configCache = undefined;
  }

  /** Escape stops the assistant and closes the panel, wherever the focus is inside it. */
  private onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && (this.open || this.state !== 'idle')) {
      e.preventDefault();
      this.close();
    }
  };

  /** @internal Starts or stops (the launcher); the panel opens. */
  toggle() {
    this.open = true;
    if (this.machine.can('activate')) void this.start();
    else this.stop();
  }

  /** @internal Mutes or unmutes the spoken answers (the panel's mute control). */
  toggleMute() {
    this.muted = !this.muted;
    this.mute(this.muted);
  }

  /** @internal Answer of the consent prompt. */
  accept(ok: boolean) {
    this.asking = false;
    this.consented = ok;
    if (ok) void this.start();
  }

  /**
   * @internal Space on the launcher. A tap toggles listening; held longer (push-to-talk), it
   * listens while held and, once let go, closes the microphone when the utterance has ended.
   */
  press(down: boolean) {
    if (down) {
      this.pressed = [performance.now(), this.active];
      if (!this.active) this.toggle();
    } else if (this.pressed) {
      const [at, was] = this.pressed;
      this.pressed = undefined;
      if (performance.now() - at > 400) this.release();
      else if (was) this.stop();
    }
  }

  /** @internal Stops, closes the panel, and gives the focus back to the launcher if it was inside. */
  close() {
    this.stop();
    this.open = false;
    if (this.shadowRoot?.activeElement) this.shadowRoot.querySelector('button')?.focus();
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null) {
    super.attributeChangedCallback(name, old, value);
    if (!(ATTRIBUTE_NAMES as string[]).includes(name)) return;
    this.configCache = undefined;
    const attr = name as AttributeName;
    if (value === null || isValid(attr, value)) return;
    // A property set to an invalid value reflects here first: put the default back.
    (this as Record<string, unknown>)[propertyName(attr)] = defaultOf(attr);
    const shown = JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
    this.warnOnce(`<voice-assistant>: ${name}=${shown} is not valid (accepted: ${ATTRIBUTES[attr].accepts}); using the default.`);
  }

  /** @internal A configuration problem: one `console.warn` and one `voice-error` (`invalid-config`) per distinct message. */
  warnOnce(message: string) {
    if (this.reported.has(message)) return;
    this.reported.add(message);
    console.warn(message);
    queueMicrotask(() => this.dispatchEvent(new VoiceErrorEvent({ code: 'invalid-config', message, recoverable: true })));
  }

  /** @internal What the `config-url` document sets, under the tag's attributes; applied at once. */
  applyRemote(layer: RemoteLayer) {
    this.remote = layer;
    this.configCache = undefined;
    this.requestUpdate();
  }

  /** @internal Applies a state the machine decided on: custom state, view, `voice-state`. */
  setState(next: VoiceState, previous: VoiceState) {
    this.requestUpdate();
    this.internals.states?.delete(previous);
    this.internals.states?.add(next);
    if (next !== 'error' && next !== 'disabled') this.message = '';
    if (next === 'idle' || next === 'error') this.level = 0;
    this.debugLog('state', previous, '->', next);
    this.dispatchEvent(new VoiceStateEvent({ state: next, previous }));
  }

  /** @internal */
  report(error: VoiceAssistantError) {
    this.message = error.message;
    this.errorCode = error.code;
    this.debugLog('error', error.code, error.message);
    this.machine.send(error.recoverable ? 'fail' : 'fatal');
    this.dispatchEvent(new VoiceErrorEvent({ code: error.code, message: error.message, recoverable: error.recoverable }));
  }

  /** @internal */
  showLevel(level: number) {
    this.level = level;
  }

  /** @internal */
  showProgress(progress: Progress | null) {
    this.progress = progress;
  }

  /** @internal */
  showTranscript(entry: Omit<TranscriptEntry, 'id'> & { id?: number }): number {
    const id = entry.id ?? this.nextLine++;
    const line = { ...entry, id };
    const at = this.lines.findIndex((l) => l.id === id);
    // A line updated to empty text is removed (a caption of speech that was not recognised after all).
    this.lines = (at < 0 ? [...this.lines.slice(-49), line] : this.lines.map((l) => (l.id === id ? line : l))).filter((l) => l.text);
    return id;
  }

  /** @internal */
  debugLog(...args: unknown[]) {
    if (this.config.debug) console.debug('[voice-assistant]', ...args);
  }
}
