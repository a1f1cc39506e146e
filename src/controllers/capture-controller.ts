import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import type { VoiceConfig } from '../config/config.js';
import { processingConstraints } from '../audio/capture-processing.js';
import { acquireAudioContext, releaseAudioContext } from '../audio/shared-audio-context.js';
import { VoiceAssistantError, toVoiceError } from '../errors.js';
import { blockedByCsp } from '../internal/csp.js';
import type { Progress } from '../internal/loader.js';
import { loadVadModel, takeVadRuntime, warmVadRuntime } from '../vad/vad-assets.js';
import { VadClient, type Utterance } from '../vad/vad-client.js';
import type { SegmenterOptions } from '../vad/segmenter.js';
import { MicrophoneController } from './microphone-controller.js';
import captureUrl from '../../worklets/capture.processor.ts?worker&url';

export interface CaptureHooks {
  /** A frame crossed the threshold: speech may be starting (not yet confirmed). */
  onSpeechOnset?(at: number): void;
  onSpeechStart(at: number): void;
  onSpeechEnd(utterance: Utterance): void;
  /** The user paused: the utterance so far, for work started before the turn ends. */
  onSpeechPause?(utterance: Utterance): void;
  /** Speech went on after a pause. */
  onSpeechResume?(at: number): void;
  onLevel(level: number): void;
  /** The VAD could not load: what was captured meanwhile, 16 kHz, for the STT chain as it is. */
  onUnsegmented?(audio: Float32Array): void;
  /** A failure after listening began: the track ended, the VAD worker died. Capture has stopped. */
  onError(error: VoiceAssistantError): void;
  /** Transport `realtime`: every frame as 24 kHz PCM16 base64 (made in the VAD worker), once `streamPcm(true)`. */
  onPcm?(base64: string): void;
}

/** What capture uses of the element: the VAD settings, where assets live, download progress. */
export interface CaptureHost extends ReactiveControllerHost {
  readonly config: Pick<VoiceConfig, 'vadThreshold' | 'silenceMs' | 'maxUtteranceS' | 'audioProcessing'>;
  readonly assetFolder: string;
  showProgress(progress: Progress | null): void;
}

/** Tuning, not attributes (tests shorten it). */
export const CAPTURE_DEFAULTS = {
  /** A VAD worker kept warm after `stop()` is ended after this long without listening. */
  vadIdleMs: 60_000,
};

export type CaptureStatus = 'idle' | 'starting' | 'listening';

const modules = new WeakMap<AudioContext, Promise<void>>();

/**
 * Microphone -> capture worklet -> VAD worker for one element. The worklet posts its 16 kHz
 * frames straight to the worker through a MessagePort; the main thread only sees the level,
 * speech start/end and finished utterances. Everything acquired in `start()` is released by
 * `stop()` and by the host's removal (the session stops it on `pagehide`); starting again works.
 */
export class CaptureController implements ReactiveController {
  status: CaptureStatus = 'idle';
  /** `performance.now()` when the microphone opened: time 0 of the speech timestamps. */
  openedAt = 0;
  /**
   * Audio the device produced between opening and the worklet's connection is not heard; the
   * worklet's frame timeline starts this many ms after `openedAt`.
   */
  private offsetMs = 0;
  vad?: VadClient;
  private readonly mic: MicrophoneController;
  private ctx?: AudioContext;
  private node?: AudioWorkletNode;
  private source?: MediaStreamAudioSourceNode;
  private abort?: AbortController;
  private guardOptions?: { threshold: number; minSpeechMs: number };
  private idle?: ReturnType<typeof setTimeout>;
  /** Ends the VAD worker's loading (release() only: stop() lets it load, to be warm next time). */
  private vadAbort?: AbortController;
  /** How long the VAD worker stays warm after `stop()` (tests shorten it). */
  vadIdleMs = CAPTURE_DEFAULTS.vadIdleMs;
  /** Segment-edge tuning over the segmenter's defaults, from the next `start()` (bench/wer.mjs widens the edges). */
  segmenterTuning: Partial<Pick<SegmenterOptions, 'preRollMs' | 'tailMs' | 'leadMs' | 'minSpeechMs'>> = {};

  constructor(
    private readonly host: CaptureHost,
    private readonly hooks: CaptureHooks,
  ) {
    this.mic = new MicrophoneController(host, { onEnded: (e) => this.fail(e) });
    host.addController(this);
  }

  /** Downloads the model and the runtime without touching the microphone or audio. */
  async preload() {
    await Promise.all([loadVadModel(this.host.assetFolder), warmVadRuntime(this.host.assetFolder)]);
  }

  /**
   * Opens the microphone and resolves once audio flows (the VAD may still be loading; what is
   * said meanwhile is kept for it); throws a VoiceAssistantError.
   */
  async start(): Promise<void> {
    if (this.status !== 'idle') return;
    if (typeof AudioWorkletNode === 'undefined' || typeof AudioContext === 'undefined') {
      throw new VoiceAssistantError('unsupported', 'Voice input needs a current browser and a secure (https) page: AudioWorklet is not available here.', false);
    }
    const abort = (this.abort = new AbortController());
    this.status = 'starting';
    const { host } = this;
    const c = host.config;
    try {
      const ctx = (this.ctx = acquireAudioContext());
      const channel = new MessageChannel();
      const segmenter = { ...this.segmenterTuning, threshold: c.vadThreshold, silenceMs: c.silenceMs, maxUtteranceS: c.maxUtteranceS };
      clearTimeout(this.idle);
      // A worker kept warm (or still loading from a start that was stopped) listens again.
      const warm = this.vad && !this.vad.terminated ? this.vad : undefined;
      warm?.listen(channel.port2, segmenter);
      const vad = (this.vad = warm ?? VadClient.start({
        model: loadVadModel(host.assetFolder, (p) => host.showProgress(p)),
        wasm: takeVadRuntime(host.assetFolder, (p) => host.showProgress(p)),
        port: channel.port2,
        wasmPaths: host.assetFolder,
        segmenter,
        callbacks: {
          onSpeechOnset: (at) => this.hooks.onSpeechOnset?.(at + this.offsetMs),
          onSpeechStart: (at) => this.hooks.onSpeechStart(at + this.offsetMs),
          onSpeechEnd: (u) => this.hooks.onSpeechEnd(this.shift(u)),
          onSpeechPause: (u) => this.hooks.onSpeechPause?.(this.shift(u)),
          onSpeechResume: (at) => this.hooks.onSpeechResume?.(at + this.offsetMs),
          onUnsegmented: (audio) => this.hooks.onUnsegmented?.(audio),
          onError: (e) => this.fail(e),
          onPcm: (b) => this.hooks.onPcm?.(b),
        },
        signal: (this.vadAbort = new AbortController()).signal,
      }));
      let module = modules.get(ctx);
      if (!module) modules.set(ctx, (module = ctx.audioWorklet.addModule(new URL(captureUrl, import.meta.url).href)));
      const [stream] = await Promise.all([this.mic.open(processingConstraints(c.audioProcessing)), module]);
      if (abort.signal.aborted) throw new VoiceAssistantError('aborted', 'Listening was stopped.');
      const node = (this.node = new AudioWorkletNode(ctx, 'voice-capture', { numberOfInputs: 1, numberOfOutputs: 0 }));
      node.port.postMessage({ type: 'port', port: channel.port1 }, [channel.port1]);
      node.port.onmessage = (e) => e.data?.type === 'level' && this.hooks.onLevel(e.data.level);
      this.source = ctx.createMediaStreamSource(stream);
      this.source.connect(node);
      this.openedAt = this.mic.openedAt;
      this.offsetMs = performance.now() - this.openedAt;
      // Listening from here: the worker keeps every frame while the model loads (the first
      // visit downloads megabytes), and segments them once it is ready. Nothing said is lost.
      this.status = 'listening';
      host.requestUpdate();
      void vad.ready.then(
        () => this.guardOptions && vad.configure(this.guardOptions),
        (e: unknown) => {
          if (this.vad === vad) this.vad = undefined;
          if (!this.vadAbort?.signal.aborted) this.fail(blockedByCsp(e, 'speech detector (its worker or WebAssembly)') ?? toVoiceError(e, 'asset-load'));
        },
      );
    } catch (e) {
      if (abort === this.abort) this.stop();
      throw blockedByCsp(e, 'audio capture (its AudioWorklet module)') ?? toVoiceError(e, 'unsupported');
    }
  }

  /**
   * Raises (or restores) what counts as speech, from the next frame on: while the assistant is
   * audible its own echo must not pass for the user. Remembered across restarts of listening.
   */
  guard(options: { threshold: number; minSpeechMs: number }) {
    this.guardOptions = options;
    void this.vad?.ready.then(() => this.vad?.configure(options), () => undefined);
  }

  /**
   * Releases the microphone, the worklet and (with the last holder) the AudioContext at once.
   * The VAD worker stays warm, its model loaded, for the next `start()`; it is released by
   * `release()` (removal, page hide) or after `vadIdleMs` without listening.
   */
  stop() {
    clearTimeout(this.idle);
    if (this.vad) this.idle = setTimeout(() => this.release(), this.vadIdleMs);
    this.abort?.abort();
    this.abort = undefined;
    if (this.node) {
      this.node.port.postMessage({ type: 'stop' });
      this.node.port.onmessage = null;
      this.node.port.close();
      this.node.disconnect();
      this.node = undefined;
    }
    this.source?.disconnect();
    this.source = undefined;
    this.mic.close();
    if (this.ctx) releaseAudioContext();
    this.ctx = undefined;
    if (this.status !== 'idle') {
      this.status = 'idle';
      this.host.requestUpdate();
    }
  }

  /** Stops, and ends the VAD worker and its ONNX session too. Safe to call twice. */
  release() {
    this.stop();
    clearTimeout(this.idle);
    this.vadAbort?.abort();
    this.vad?.terminate();
    this.vad = undefined;
  }

  /** @private */
  hostDisconnected() {
    this.release();
  }

  private shift(u: Utterance): Utterance {
    const d = this.offsetMs;
    return { ...u, startMs: u.startMs + d, endMs: u.endMs + d, audioStartMs: u.audioStartMs + d };
  }

  private fail(error: VoiceAssistantError) {
    if (this.status === 'idle') return;
    this.release();
    this.hooks.onError(error);
  }
}
