import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import { VoiceAssistantError } from '../errors.js';

export type MicrophoneStatus = 'closed' | 'opening' | 'open' | 'ended';

export interface MicrophoneOptions {
  /** Called when a track ends without `close()` (device unplugged, permission revoked). */
  onEnded?: (error: VoiceAssistantError) => void;
  constraints?: MediaTrackConstraints;
}

export const MICROPHONE_DEFAULTS: Required<Pick<MicrophoneOptions, 'constraints'>> = {
  constraints: { echoCancellation: true, noiseSuppression: true, autoGainControl: true, channelCount: 1 },
};

/**
 * Owns the microphone stream of one element: opens it with echo cancellation, noise
 * suppression and auto gain, turns the browser's errors into the documented `voice-error`
 * codes, notices a track that ends by itself, and stops every track it started on `close()`
 * and when the host is removed.
 */
export class MicrophoneController implements ReactiveController {
  status: MicrophoneStatus = 'closed';
  stream?: MediaStream;
  /** `performance.now()` when getUserMedia resolved: the device (and a fake one's file) starts then. */
  openedAt = 0;
  private readonly options: MicrophoneOptions & typeof MICROPHONE_DEFAULTS;
  private call = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    options: MicrophoneOptions = {},
  ) {
    this.options = { ...MICROPHONE_DEFAULTS, ...options };
    host.addController(this);
  }

  /**
   * Opens the microphone (with `constraints` when given, else the controller's); throws a
   * VoiceAssistantError with a message a person understands.
   */
  async open(constraints: MediaTrackConstraints = this.options.constraints): Promise<MediaStream> {
    const call = ++this.call;
    this.close();
    this.call = call;
    if (!navigator.mediaDevices?.getUserMedia) {
      throw new VoiceAssistantError('unsupported', 'This page cannot use the microphone: it needs a secure (https) connection and a current browser.', false);
    }
    this.setStatus('opening');
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: constraints, video: false });
      this.openedAt = performance.now();
    } catch (e) {
      if (call === this.call) this.setStatus('closed');
      throw micError(e);
    }
    if (call !== this.call) {
      // close() or another open() came first: this stream is stale.
      stream.getTracks().forEach((t) => t.stop());
      throw new VoiceAssistantError('aborted', 'Listening was stopped before the microphone opened.');
    }
    this.stream = stream;
    for (const track of stream.getAudioTracks()) track.addEventListener('ended', this.onEnded, { once: true });
    this.setStatus('open');
    return stream;
  }

  /** Stops every track this controller started; safe to call twice. */
  close() {
    this.call++;
    const stream = this.stream;
    this.stream = undefined;
    stream?.getTracks().forEach((t) => {
      t.removeEventListener('ended', this.onEnded);
      t.stop();
    });
    if (this.status !== 'closed') this.setStatus('closed');
  }

  /** @private */
  hostDisconnected() {
    this.close();
  }

  private onEnded = () => {
    if (!this.stream) return;
    this.close();
    this.setStatus('ended');
    this.options.onEnded?.(
      new VoiceAssistantError('mic-unavailable', 'The microphone stopped (it was unplugged, turned off or taken by another app). Press the button to try again.'),
    );
  };

  private setStatus(status: MicrophoneStatus) {
    this.status = status;
    this.host.requestUpdate();
  }
}

/** Maps a getUserMedia failure onto the documented codes. */
export function micError(e: unknown): VoiceAssistantError {
  const name = (e as { name?: string })?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') {
    return new VoiceAssistantError('mic-denied', 'Microphone access is blocked. Allow the microphone for this site (the icon in the address bar), then press the button again.', true, { cause: e });
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') {
    return new VoiceAssistantError('mic-unavailable', 'No microphone was found. Connect one, then press the button again.', true, { cause: e });
  }
  if (name === 'NotReadableError' || name === 'AbortError') {
    return new VoiceAssistantError('mic-unavailable', 'The microphone could not be started; another application may be using it.', true, { cause: e });
  }
  return new VoiceAssistantError('mic-unavailable', `The microphone could not be opened (${name ?? String(e)}).`, true, { cause: e });
}
