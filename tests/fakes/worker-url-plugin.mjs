// Vite's `import url from './x.ts?worker&url'` (worklets and workers, see vite.config.ts) for the
// test server, which serves sources unbundled: the import becomes the URL of the source file,
// which the esbuild plugin then transpiles when the worker or worklet loads it.
export function workerUrlPlugin() {
  return {
    name: 'worker-url',
    serve(context) {
      if (context.URL.searchParams.has('worker') && context.URL.searchParams.has('url')) {
        return { body: `export default ${JSON.stringify(context.path)};`, type: 'js' };
      }
    },
  };
}
