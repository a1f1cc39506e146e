// Request bodies, read with the size limit enforced while streaming (413 as soon as it is exceeded).
import type { IncomingMessage } from 'node:http';
import { HttpError, badRequest } from './errors.ts';

export function tooLarge(limit: number): HttpError {
  return new HttpError(413, `Request body exceeds ${limit} bytes.`, 'invalid_request_error', 'body_too_large');
}

export function readBody(req: IncomingMessage, limit: number, signal?: AbortSignal): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(tooLarge(limit));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: Error | null, value?: Buffer) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(value!);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        finish(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(null, Buffer.concat(chunks, size));
    const onError = (e: Error) => finish(e);
    const onAbort = () => finish(new DOMException('client went away', 'AbortError'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export async function readJson(req: IncomingMessage, limit: number, signal?: AbortSignal): Promise<unknown> {
  const buf = await readBody(req, limit, signal);
  if (buf.length === 0) throw badRequest('Request body is empty; expected JSON.', 'invalid_json');
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (e) {
    throw badRequest(`Malformed JSON body: ${(e as Error).message}`, 'invalid_json');
  }
}

/** Narrows a parsed JSON body to a plain object or throws 400. */
export function asObject(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest('Request body must be a JSON object.', 'invalid_json');
  }
  return value as Record<string, unknown>;
}
