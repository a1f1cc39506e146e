/**
 * Anything the disposer knows how to give back: a release function, or a resource it recognises
 * by shape (so this file needs no DOM types at load time and works in workers too).
 */
export type Disposable =
  | (() => unknown)
  | MediaStream
  | MediaStreamTrack
  | AudioNode
  | BaseAudioContext
  | MessagePort
  | Worker
  | BroadcastChannel
  | AbortController
  | IDBDatabase
  | { close(): unknown }
  | { release(): unknown }
  | { dispose(): unknown }
  | { terminate(): unknown };

type Loose = Record<string, unknown> & { [k: string]: any };

/** The release function for a resource: stop, disconnect, close, terminate, abort, release. */
export function releaserOf(r: Disposable): () => unknown {
  if (typeof r === 'function') return r;
  const x = r as Loose;
  // A MediaStream: stop every track (a stream has no stop of its own).
  if (typeof x.getTracks === 'function') return () => (x.getTracks() as MediaStreamTrack[]).forEach((t) => t.stop());
  // A track: stop() ends the capture device (the camera light, the browser's mic indicator).
  if (typeof x.stop === 'function' && 'readyState' in x && 'kind' in x) return () => x.stop();
  // An AudioContext: close() once; a closed context throws on a second close.
  if (typeof x.close === 'function' && 'sampleRate' in x && 'state' in x) {
    return () => (x.state === 'closed' ? undefined : x.close());
  }
  // An AudioNode (or AudioWorkletNode, whose port is closed too).
  if (typeof x.disconnect === 'function' && 'context' in x) {
    return () => {
      x.disconnect();
      (x.port as MessagePort | undefined)?.close?.();
    };
  }
  if (typeof x.abort === 'function' && 'signal' in x) return () => x.abort();
  if (typeof x.terminate === 'function') return () => x.terminate();
  // onnxruntime-web's InferenceSession.release(), engines' dispose(), ports, channels, databases.
  if (typeof x.release === 'function') return () => x.release();
  if (typeof x.dispose === 'function') return () => x.dispose();
  if (typeof x.close === 'function') return () => x.close();
  throw new TypeError('The disposer does not know how to release this resource; pass a function.');
}
