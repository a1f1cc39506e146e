/**
 * The PocketSphinx worker: `soundswallower` (PocketSphinx in WebAssembly) with its en-US model,
 * recognising one utterance at a time against a grammar. The page downloads the wasm and the
 * model (with progress, through the HTTP cache) and transfers the bytes here; soundswallower
 * reads its model with `fetch(modelBase + file)`, which is answered from those bytes.
 * The decoder starts with a dictionary of the filler words only and learns the grammar's words
 * as they come (`add_words`): loading all 135,000 entries of dict.txt into it costs ~300 ms of
 * start-up, while indexing them here costs a fraction of that.
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
/** Every pronunciation of dict.txt by word ("the" -> [["the", "DH AH"], ["the(2)", "DH IY"]]). */
let dictionary = new Map<string, [string, string][]>();
const learned = new Set<string>();
const log: string[] = [];

serveRpc<SphinxMessage>(async (m) => {
  if (m.type === 'init') {
    const t0 = performance.now();
    decoder ??= await load(m.wasm, m.model);
    return { value: { loadMs: performance.now() - t0 } };
  }
  if (!decoder) throw new Error('not initialised');
  const next = buildGrammar(m.grammar, (w) => dictionary.has(w));
  if (!next.phrases.size) throw new Error(`no phrase of the grammar can be recognised (unknown words: ${next.skipped.flatMap((s) => s.unknown).join(', ')})`);
  if (next.jsgf !== grammar?.jsgf) {
    const words = [...new Set([...next.phrases.keys()].flatMap((p) => p.split(' ')))].filter((w) => !learned.has(w));
    if (words.length) decoder.add_words(...words.flatMap((w) => dictionary.get(w)!));
    words.forEach((w) => learned.add(w));
    decoder.set_grammar(next.jsgf);
  }
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
  dictionary = index(new TextDecoder().decode(model['dict.txt']));
  model = { ...model, 'dict.txt': new TextEncoder().encode(FILLER_WORDS.map(([w, p]) => `${w} ${p}\n`).join('')).buffer };
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
    return d;
  } catch (e) {
    throw new Error(`${e instanceof Error ? e.message : String(e)}${log.length ? ` (${log.slice(-3).join(' / ')})` : ''}`);
  } finally {
    globalThis.fetch = realFetch;
  }
}

function index(text: string): Map<string, [string, string][]> {
  const out = new Map<string, [string, string][]>();
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    if (space < 1 || line.startsWith(';;')) continue;
    const entry = line.slice(0, space);
    const word = entry.replace(/\(\d+\)$/, '');
    const list = out.get(word);
    if (list) list.push([entry, line.slice(space + 1).trim()]);
    else out.set(word, [[entry, line.slice(space + 1).trim()]]);
  }
  return out;
}
