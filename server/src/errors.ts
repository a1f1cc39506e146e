// Errors in the OpenAI shape: {"error": {"message", "type", "code"?}}.
import type { ServerResponse } from 'node:http';

export class HttpError extends Error {
  readonly status: number;
  readonly type: string;
  readonly code: string | undefined;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    message: string,
    type = 'invalid_request_error',
    code?: string,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.type = type;
    this.code = code;
    this.headers = headers;
  }
}

export const badRequest = (message: string, code?: string) =>
  new HttpError(400, message, 'invalid_request_error', code);

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    // Too late for a status line: the best we can do is end the stream.
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

export function errorBody(message: string, type: string, code?: string) {
  return { error: code === undefined ? { message, type } : { message, type, code } };
}

export function sendError(res: ServerResponse, err: HttpError): void {
  sendJson(res, err.status, errorBody(err.message, err.type, err.code), err.headers);
}
