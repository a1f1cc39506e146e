/** One server-sent event (WHATWG HTML, "Parsing an event stream"). */
export interface SseEvent {
  readonly event: string;
  readonly data: string;
  readonly id?: string;
  readonly retry?: number;
}

/**
 * An incremental `text/event-stream` parser that gives the same events whatever the chunk
 * boundaries: a chunk may end inside a field name, inside a `data:` value, or between the CR
 * and the LF of a CRLF. Lines end with CRLF, LF or CR; `:` lines are comments; an empty line
 * dispatches; several `data:` lines join with "\n"; one space after the colon is dropped.
 * @example
 * const p = new SseParser();
 * for (const chunk of chunks) for (const e of p.push(chunk)) console.log(e.data);
 */
export class SseParser {
  private line = '';
  /** The previous chunk ended with CR: an LF at the start of the next one is part of it. */
  private afterCr = false;
  private data: string[] = [];
  private type = '';
  private id?: string;
  private retry?: number;

  /** Feeds text; returns the events completed by it. */
  push(text: string): SseEvent[] {
    const out: SseEvent[] = [];
    if (!text) return out;
    let start = 0;
    if (this.afterCr && text.startsWith('\n')) start = 1;
    this.afterCr = false;
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.line += text.slice(start, i);
      this.takeLine(out);
      if (c === 13) {
        if (i + 1 === text.length) this.afterCr = true;
        else if (text.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    this.line += text.slice(start);
    return out;
  }

  /** The stream ended: an unterminated event is discarded, as the spec says. */
  end(): SseEvent[] {
    this.line = '';
    this.data = [];
    this.type = '';
    return [];
  }

  private takeLine(out: SseEvent[]) {
    const line = this.line;
    this.line = '';
    if (line === '') {
      if (this.data.length) {
        out.push({ event: this.type || 'message', data: this.data.join('\n'), id: this.id, retry: this.retry });
      }
      this.data = [];
      this.type = '';
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.type = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retry = Number(value);
  }
}

/** Reads a byte stream as events; UTF-8 split across chunks is decoded correctly. */
export async function* readSse(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<SseEvent> {
  const parser = new SseParser();
  const decoder = new TextDecoder();
  const reader = body.getReader();
  const cancel = () => void reader.cancel(signal?.reason).catch(() => {});
  signal?.addEventListener('abort', cancel, { once: true });
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
    yield* parser.push(decoder.decode());
    parser.end();
    finished = true;
  } finally {
    signal?.removeEventListener('abort', cancel);
    // The consumer stopped early (e.g. [DONE] or an abort): close the connection.
    if (!finished) cancel();
    reader.releaseLock();
  }
}
