import { watchViolations, workerScriptUrl } from './csp.js';

/**
 * `new Worker(url, {type: 'module'})` that also works when `url` is on another origin (the
 * build served from a CDN, or `asset-base`). A worker's script must be same-origin (HTML
 * "run a worker": the request mode is "same-origin"), so a cross-origin URL is wrapped in a
 * same-origin `blob:` module whose only statement imports the real URL; module imports may be
 * cross-origin (CORS), and the real module keeps its own `import.meta.url`.
 * @example
 * const worker = startWorker(ctx.assetUrl('flite-worker.js'));
 */
export function startWorker(url: string, options: { name?: string } = {}): Worker {
  const absolute = new URL(url, globalThis.location?.href);
  watchViolations();
  if (absolute.origin === globalThis.location?.origin) return new Worker(workerScriptUrl(absolute.href), { type: 'module', ...options });
  const blobUrl = URL.createObjectURL(new Blob([`import ${JSON.stringify(absolute.href)};`], { type: 'text/javascript' }));
  try {
    return new Worker(workerScriptUrl(blobUrl), { type: 'module', ...options });
  } finally {
    // The worker fetches its script asynchronously; revoke only once it has had time to.
    setTimeout(() => URL.revokeObjectURL(blobUrl), 10_000);
  }
}
