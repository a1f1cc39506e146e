/**
 * The VAD worker: frames arrive straight from the capture worklet through a MessagePort, so
 * inference and segmentation never run on the page's main thread. Only segment events (and
 * the utterance's samples, transferred) go to the main thread.
 */
import * as ort from 'onnxruntime-web/wasm';
import { Pcm16Stream } from '../audio/pcm16-stream.js';
import { Segmenter } from './segmenter.js';
import { SileroModel } from './silero-model.js';
import type { FrameMessage, FromWorker, ToWorker, VadStats } from './vad-protocol.js';

/** Frames that may wait for the model; the client sets it from max-utterance-s and the pre-roll. */
let keep = 1000;

// The DOM library is loaded, not WebWorker's: type only what this file uses of the worker scope.
const scope = self as unknown as {
  postMessage(message: unknown, transfer: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
};
const queue: FrameMessage[] = [];
const stats: VadStats = { frames: 0, audioMs: 0, inferenceMs: 0, dropped: 0, maxQueue: 0 };
let model: SileroModel | undefined;
let segmenter: Segmenter | undefined;
let draining = false;
let port: MessagePort | undefined;
/** Frames of silence run through the model at load (about 0.6 s of audio). */
const WARM_UP_FRAMES = 20;
let released = false;
/** Transport `realtime`: frames go to the main thread as protocol audio too. */
let pcm: Pcm16Stream | undefined;

const post = (m: FromWorker, transfer: Transferable[] = []) => scope.postMessage(m, transfer);

scope.onmessage = async (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  try {
    if (m.type === 'init') {
      const t0 = performance.now();
      ort.env.wasm.wasmPaths = m.wasmPaths;
      // Verified bytes from Cache Storage or the network (asset-download.ts), not a fetch of its own.
      ort.env.wasm.wasmBinary = m.wasm;
      // Not cross-origin isolated: threads are unavailable, and one thread is plenty (~1 ms/frame).
      ort.env.wasm.numThreads = 1;
      model = await SileroModel.create(ort, m.model);
      // A few frames of silence at load: the first real frames then run on warmed-up code.
      const silence = new Float32Array(512);
      for (let i = 0; i < WARM_UP_FRAMES; i++) await model.process(silence);
      model.reset();
      model.stats.frames = 0;
      model.stats.inferenceMs = 0;
      segmenter = new Segmenter(m.options);
      post({ type: 'ready', loadMs: performance.now() - t0 });
      void drain();
    } else if (m.type === 'port') {
      if (port) port.onmessage = null;
      port = m.port;
      keep = m.keep ?? keep;
      port.onmessage = (f: MessageEvent<FrameMessage>) => enqueue(f.data);
    } else if (m.type === 'flush') {
      const audio = new Float32Array(queue.reduce((n, f) => n + f.samples.length, 0));
      let at = 0;
      for (const f of queue.splice(0)) audio.set(f.samples, (at += f.samples.length) - f.samples.length);
      post({ type: 'flushed', audio }, [audio.buffer]);
    } else if (m.type === 'reset') {
      queue.length = 0;
      model?.reset();
      if (model) model.stats.frames = model.stats.inferenceMs = 0;
      Object.assign(stats, { frames: 0, audioMs: 0, inferenceMs: 0, dropped: 0, maxQueue: 0 });
      segmenter = new Segmenter(m.options);
    } else if (m.type === 'configure') {
      segmenter?.configure(m.options);
    } else if (m.type === 'stats') {
      post({ type: 'stats', stats: { ...stats, inferenceMs: model?.stats.inferenceMs ?? 0 } });
    } else if (m.type === 'stream') {
      pcm = m.on ? new Pcm16Stream() : undefined;
    } else if (m.type === 'release') {
      released = true;
      queue.length = 0;
      await model?.release();
      model = undefined;
    }
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};

function enqueue(frame: FrameMessage) {
  if (released || frame?.type !== 'frame') return;
  queue.push(frame);
  if (queue.length > keep) {
    queue.shift();
    stats.dropped++;
  }
  stats.maxQueue = Math.max(stats.maxQueue, queue.length);
  void drain();
}

/** Runs frames through the model strictly in order, one at a time. */
async function drain() {
  if (draining || !model || !segmenter) return;
  draining = true;
  try {
    for (let f = queue.shift(); f && model && segmenter; f = queue.shift()) {
      const p = await model.process(f.samples);
      stats.frames++;
      stats.audioMs += (1000 * f.samples.length) / 16000;
      for (const ev of segmenter.push(f.samples, p, f.index)) {
        if (ev.type === 'end' || ev.type === 'pause') post(ev, [ev.audio.buffer]);
        else if (ev.type !== 'misfire') post(ev);
      }
      if (pcm) post({ type: 'pcm', audio: pcm.push(f.samples) });
    }
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  } finally {
    draining = false;
  }
}
