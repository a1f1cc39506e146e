import { defineConfig, type Plugin } from 'vite';
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
];

function copyAssets(files: string[]): Plugin {
  return {
    name: 'voice-assistant:copy-assets',
    generateBundle() {
      for (const file of files) {
        this.emitFile({ type: 'asset', fileName: basename(file), source: readFileSync(file) });
      }
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

export default defineConfig({
  base: './',
  plugins: [copyAssets(COPIED_ASSETS)],
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
