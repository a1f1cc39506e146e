import { expect } from "@esm-bundle/chai";
import { SseParser, readSse, type SseEvent } from "../../src/internal/sse-parser.js";

/** Recorded from the reference server: POST /v1/chat/completions with stream: true. */
const RECORDED = [
  "data: {\"id\":\"chatcmpl-0fd57ea9e7d288c1d8f8137f\",\"object\":\"chat.completion.chunk\",\"created\":1795313877,\"model\":\"reference-demo-responder\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"We are open \"},\"finish_reason\":null}]}\n\n",
  "data: {\"id\":\"chatcmpl-0fd57ea9e7d288c1d8f8137f\",\"object\":\"chat.completion.chunk\",\"created\":1795313877,\"model\":\"reference-demo-responder\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"from nine in \"},\"finish_reason\":null}]}\n\n",
  "data: {\"id\":\"chatcmpl-0fd57ea9e7d288c1d8f8137f\",\"object\":\"chat.completion.chunk\",\"created\":1795313877,\"model\":\"reference-demo-responder\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"the morning to \"},\"finish_reason\":null}]}\n\n",
  "data: {\"id\":\"chatcmpl-0fd57ea9e7d288c1d8f8137f\",\"object\":\"chat.completion.chunk\",\"created\":1795313877,\"model\":\"reference-demo-responder\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
  "data: [DONE]\n\n",
].join("");

/** The same events with CRLF line ends, comments, a multi-line data field, an event name and non-ASCII text. */
const TRICKY =
  ": keep-alive comment\r\n" +
  "retry: 1500\r\n" +
  "event: note\r\nid: 7\r\ndata: first line\r\ndata:second line\r\ndata:  two spaces\r\n\r\n" +
  "data: Grüße 👋 – ok\r\r" +
  "data\n\n" +
  ":only a comment\n\n" +
  "data: last\n\n" +
  "data: never dispatched (no blank line)";

const parseAll = (chunks: string[]) => {
  const p = new SseParser();
  const out: SseEvent[] = [];
  for (const c of chunks) out.push(...p.push(c));
  out.push(...p.end());
  return out;
};

const streamOf = (parts: Uint8Array[]) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (const p of parts) c.enqueue(p);
      c.close();
    },
  });

describe("SseParser", () => {
  it("reads the recorded chat stream as OpenAI chunks ending with [DONE]", () => {
    const events = parseAll([RECORDED]);
    expect(events.map((e) => e.data).at(-1)).to.equal("[DONE]");
    const text = events.slice(0, -1).map((e) => JSON.parse(e.data).choices[0].delta.content ?? "").join("");
    expect(text).to.equal("We are open from nine in the morning to ");
    expect(events.every((e) => e.event === "message")).to.equal(true);
  });

  it("gives the same events for every split point of the recorded stream", () => {
    const whole = parseAll([RECORDED]);
    expect(whole).to.have.length(5);
    for (let i = 0; i <= RECORDED.length; i++) {
      expect(parseAll([RECORDED.slice(0, i), RECORDED.slice(i)]), `split at ${i}`).to.deep.equal(whole);
    }
  });

  it("gives the same events when fed one character at a time", () => {
    expect(parseAll([...RECORDED])).to.deep.equal(parseAll([RECORDED]));
  });

  it("handles CRLF, lone CR, comments, multi-line data, event names, ids and retry", () => {
    const events = parseAll([TRICKY]);
    expect(events).to.deep.equal([
      { event: "note", data: "first line\nsecond line\n two spaces", id: "7", retry: 1500 },
      { event: "message", data: "Grüße 👋 – ok", id: "7", retry: 1500 },
      { event: "message", data: "", id: "7", retry: 1500 },
      { event: "message", data: "last", id: "7", retry: 1500 },
    ]);
  });

  it("gives the same events for every pair of split points of the tricky stream (CR|LF splits included)", () => {
    const whole = parseAll([TRICKY]);
    for (let i = 0; i <= TRICKY.length; i++) {
      for (let j = i; j <= TRICKY.length; j++) {
        const got = parseAll([TRICKY.slice(0, i), TRICKY.slice(i, j), TRICKY.slice(j)]);
        if (JSON.stringify(got) !== JSON.stringify(whole)) expect(got, `split at ${i}, ${j}`).to.deep.equal(whole);
      }
    }
  });

  it("decodes UTF-8 split inside a character at every byte boundary (readSse)", async () => {
    const bytes = new TextEncoder().encode(TRICKY + "\n\n" + RECORDED);
    const expected = parseAll([TRICKY + "\n\n" + RECORDED]);
    for (let i = 0; i <= bytes.length; i += 1) {
      const got: SseEvent[] = [];
      for await (const e of readSse(streamOf([bytes.slice(0, i), bytes.slice(i)]))) got.push(e);
      if (JSON.stringify(got) !== JSON.stringify(expected)) expect(got, `byte split at ${i}`).to.deep.equal(expected);
    }
  });

  it("stops reading and cancels the body when the signal aborts", async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode("data: one\n\n"));
      },
      cancel() {
        cancelled = true;
      },
    });
    const ac = new AbortController();
    const got: string[] = [];
    for await (const e of readSse(body, ac.signal)) {
      got.push(e.data);
      ac.abort();
    }
    expect(got).to.deep.equal(["one"]);
    expect(cancelled).to.equal(true);
  });
});
