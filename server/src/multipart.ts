// A small multipart/form-data parser over a body already read into memory (bounded by maxBodyBytes).
import { badRequest } from './errors.ts';

export interface Part {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

export function boundaryOf(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\b/i.test(contentType)) return null;
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const b = m ? (m[1] ?? m[2])! : null;
  return b && b.length <= 70 ? b : null;
}

function parseHeaders(text: string): { name?: string; filename?: string; contentType?: string } {
  const out: { name?: string; filename?: string; contentType?: string } = {};
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    const key = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    if (key === 'content-disposition') {
      const name = /;\s*name="([^"]*)"/i.exec(value) ?? /;\s*name=([^;\s]+)/i.exec(value);
      const filename = /;\s*filename="([^"]*)"/i.exec(value) ?? /;\s*filename=([^;\s]+)/i.exec(value);
      if (name) out.name = name[1];
      if (filename) out.filename = filename[1];
    } else if (key === 'content-type') {
      out.contentType = value;
    }
  }
  return out;
}

/** Parses the parts; the first part of each name wins. Throws 400 on malformed input. */
export function parseMultipart(body: Buffer, boundary: string): Map<string, Part> {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts = new Map<string, Part>();
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw badRequest('Malformed multipart body: boundary not found.', 'invalid_multipart');
  for (;;) {
    pos += delimiter.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts; // closing "--boundary--"
    // Transport padding, then CRLF.
    while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
    if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a) {
      throw badRequest('Malformed multipart body: expected CRLF after boundary.', 'invalid_multipart');
    }
    pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) throw badRequest('Malformed multipart body: unterminated part headers.', 'invalid_multipart');
    const headers = parseHeaders(body.subarray(pos, headerEnd).toString('utf8'));
    const dataStart = headerEnd + 4;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), dataStart);
    if (next < 0) throw badRequest('Malformed multipart body: missing closing boundary.', 'invalid_multipart');
    if (headers.name !== undefined && !parts.has(headers.name)) {
      const part: Part = { name: headers.name, data: body.subarray(dataStart, next) };
      if (headers.filename !== undefined) part.filename = headers.filename;
      if (headers.contentType !== undefined) part.contentType = headers.contentType;
      parts.set(headers.name, part);
    }
    pos = next + 2;
  }
}
