// Static files: the demo at "/" and the built widget at "/dist/". No path traversal, no dotfiles,
// 404 JSON for anything missing (including a demo/ or dist/ that has not been built yet).
import { createReadStream } from 'node:fs';
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { HttpError } from './errors.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.bin': 'application/octet-stream',
  '.data': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.xml': 'application/xml',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

export function contentType(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

const notFound = (pathname: string) => new HttpError(404, `Not found: ${pathname}`, 'invalid_request_error', 'not_found');

/**
 * Maps a URL path below `root` to a file path, or null if it is unsafe: every segment is
 * percent-decoded and must not be "..", a dotfile, or contain a separator or NUL; the result
 * must lie inside `root`.
 */
export function safeJoin(root: string, urlPath: string): string | null {
  const segments: string[] = [];
  for (const raw of urlPath.split('/')) {
    if (raw === '') continue;
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (seg.startsWith('.') || seg.includes('/') || seg.includes('\\') || seg.includes('\0')) return null;
    segments.push(seg);
  }
  const base = resolve(root);
  const full = resolve(join(base, ...segments));
  return full === base || full.startsWith(base + sep) ? full : null;
}

/** Serves `urlPath` (relative to `root`); directories serve their index.html. */
export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  urlPath: string,
  pathnameForErrors: string,
): Promise<void> {
  let file = safeJoin(root, urlPath);
  if (!file) throw notFound(pathnameForErrors);
  let st = await stat(file).catch(() => null);
  if (st?.isDirectory()) {
    file = join(file, 'index.html');
    st = await stat(file).catch(() => null);
  }
  if (!st || !st.isFile()) throw notFound(pathnameForErrors);

  const type = contentType(file);
  // A precompressed sibling (scripts/precompress.mjs) when the client takes it: never
  // compressed again here, and a request for the .br/.gz file itself gets its bytes as they are.
  const encoding = await precompressed(file, req.headers['accept-encoding']);
  const variesByEncoding = !!encoding.vary;
  if (encoding.file && encoding.stat) {
    file = encoding.file;
    st = encoding.stat;
  }
  const etag = `W/"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}${encoding.name ? `-${encoding.name}` : ''}"`;
  const headers: Record<string, string> = {
    'Content-Type': type,
    ETag: etag,
    'Last-Modified': st.mtime.toUTCString(),
    'Cache-Control': cacheControl(urlPath),
    'X-Content-Type-Options': 'nosniff',
    ...(encoding.name ? { 'Content-Encoding': encoding.name } : {}),
    ...(variesByEncoding ? { Vary: 'Accept-Encoding' } : {}),
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  headers['Content-Length'] = String(st.size);
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await new Promise<void>((ok, fail) => {
    const stream = createReadStream(file);
    stream.on('error', (e) => {
      res.destroy(e);
      fail(e);
    });
    res.on('close', () => {
      stream.destroy();
      ok();
    });
    stream.pipe(res);
  });
}

/**
 * Content-hashed names (`lazy-Dt20lTcp.js`) never change: cached for a year without asking
 * again. Everything else revalidates (the entry, the demo, fixed asset names), answered 304
 * from the ETag when unchanged.
 */
export function cacheControl(urlPath: string): string {
  return /-[A-Za-z0-9_-]{8}\.(?:m?js|css)$/.test(urlPath) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** `br` or `gzip` from `Accept-Encoding` (q=0 refuses), and the sibling file that holds it. */
async function precompressed(
  file: string,
  accept: string | string[] | undefined,
): Promise<{ name?: 'br' | 'gzip'; file?: string; stat?: Stats; vary?: boolean }> {
  if (/\.(br|gz)$/.test(file)) return {};
  const siblings = await Promise.all(
    (['br', 'gzip'] as const).map(async (name) => {
      const path = `${file}.${name === 'br' ? 'br' : 'gz'}`;
      const st = await stat(path).catch(() => null);
      return st?.isFile() ? { name, file: path, stat: st } : undefined;
    }),
  );
  if (!siblings.some(Boolean)) return {};
  const offered = new Map<string, number>();
  for (const part of String(accept ?? '').toLowerCase().split(',')) {
    const [token, ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
    if (token) offered.set(token.trim(), q === undefined ? 1 : Number(q));
  }
  const takes = (name: string) => (offered.get(name) ?? offered.get('*') ?? 0) > 0;
  const chosen = siblings.find((s) => s && takes(s.name));
  return chosen ? { ...chosen, vary: true } : { vary: true };
}
