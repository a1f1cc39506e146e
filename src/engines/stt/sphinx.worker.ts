/**
 * The PocketSphinx worker: `soundswallower` (PocketSphinx in WebAssembly) with its en-US model,
 * recognising one utterance at a time against a grammar. The page downloads the wasm and the
 * model (with progress, through the HTTP cache) and transfers the bytes here; soundswallower
 * reads its model with `fetch(modelBase + file)`, which is answered from those bytes.
 */
import createModule from 'soundswallower';
import { serveRpc } from '../../internal/worker-rpc.js';
import { FILLER_WORDS, buildGrammar, phraseFor, type SphinxGrammar } from './sphinx-grammar.js';

export type SphinxMessage =
  | { type: 'init'; wasm: ArrayBuffer; model: Record<string, ArrayBuffer> }
  | { type: 'recognize'; audio: Float32Array; grammar: string[] };

export interface SphinxResult {
  /** The page's phrase that was recognised, or '' when the speech matched none. */
  text: string;
  /** What the decoder returned (filler words included). */
  hypothesis: string;
  skipped: SphinxGrammar['skipped'];
  decodeMs: number;
}

/** A made-up origin for the model files, so that no request can leave the worker for them. */
const MODEL_BASE = 'https://sphinx-model.invalid/';

type Decoder = InstanceType<Awaited<ReturnType<typeof createModule>>['Decoder']>;
let decoder: Decoder | undefined;
let grammar: SphinxGrammar | undefined;
const log: string[] = [];

serveRpc<SphinxMessage>(async (m) => {
  if (m.type === 'init') {
    const t0 = performance.now();
    decoder ??= await load(m.wasm, m.model);
    return { value: { loadMs: performance.now() - t0 } };
  }
  if (!decoder) throw new Error('not initialised');
  const next = buildGrammar(m.grammar, (w) => decoder!.lookup_word(w) != null);
  if (!next.phrases.size) throw new Error(`no phrase of the grammar can be recognised (unknown words: ${next.skipped.flatMap((s) => s.unknown).join(', ')})`);
  if (next.jsgf !== grammar?.jsgf) decoder.set_grammar(next.jsgf);
  grammar = next;
  const t0 = performance.now();
  decoder.start();
  decoder.process_audio(m.audio, false, true);
  decoder.stop();
  const hypothesis = decoder.get_text();
  const value: SphinxResult = { text: phraseFor(grammar, hypothesis), hypothesis, skipped: grammar.skipped, decodeMs: performance.now() - t0 };
  return { value };
});

async function load(wasm: ArrayBuffer, model: Record<string, ArrayBuffer>): Promise<Decoder> {
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input: RequestInfo | URL) => {
    const url = input instanceof Request ? input.url : String(input);
    const bytes = url.startsWith(MODEL_BASE) ? model[url.slice(MODEL_BASE.length).replace(/^en-us\//, '')] : undefined;
    // Optional files the model does not have (e.g. an LDA transform) are simply absent.
    return bytes ? new Response(bytes) : new Response(null, { status: 404, statusText: 'Not Found' });
  };
  try {
    const ss = await createModule({
      wasmBinary: wasm,
      modelBase: MODEL_BASE,
      locateFile: (file: string) => file,
      print: (line: string) => log.push(line),
      printErr: (line: string) => log.push(line),
    } as Parameters<typeof createModule>[0]);
    // The acoustic model was trained at 16 kHz; soundswallower defaults to 44.1 kHz.
    const d = new ss.Decoder({ samprate: 16000, loglevel: 'ERROR' });
    await d.initialize();
    d.add_words(...FILLER_WORDS.map(([w, p]) => [w, p] as [string, string]));
    return d;
  } catch (e) {
    throw new Error(`${e instanceof Error ? e.message : String(e)}${log.length ? ` (${log.slice(-3).join(' / ')})` : ''}`);
  } finally {
    globalThis.fetch = realFetch;
  }
}
