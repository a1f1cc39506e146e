// Shared test helpers (not a test file itself: the runner only picks up *.test.ts).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer, type ServerOptions } from '../src/server.ts';

export const KNOWLEDGE = JSON.parse(readFileSync(new URL('../knowledge.json', import.meta.url), 'utf8')) as {
  fallback: string;
  entries: { id: string; keywords: string[]; answer: string }[];
};

export function entryAnswer(id: string): string {
  const e = KNOWLEDGE.entries.find((x) => x.id === id);
  if (!e) throw new Error(`no knowledge entry ${id}`);
  return e.answer;
}

export async function start(opts: ServerOptions = {}): Promise<RunningServer> {
  return startServer({ port: 0, quiet: true, ...opts });
}

export async function getToken(base: string): Promise<string> {
  const r = await fetch(`${base}/token`, { method: 'POST' });
  if (r.status !== 200) throw new Error(`token: HTTP ${r.status}`);
  return ((await r.json()) as { token: string }).token;
}

export function tempDir(prefix = 'va-server-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A WAV made by the real flite binary (written to a file: flite cannot write to Node's stdout socket). */
export function fliteWav(text: string, voice = 'kal16'): Buffer {
  const { dir, cleanup } = tempDir();
  try {
    const out = join(dir, 'out.wav');
    execFileSync('flite', ['-voice', voice, '-t', text, '-o', out]);
    return readFileSync(out);
  } finally {
    cleanup();
  }
}

/** Converts a WAV with sox to `rate` Hz, `channels` channels, 16-bit. */
export function soxWav(wav: Buffer, rate: number, channels = 1): Buffer {
  const { dir, cleanup } = tempDir();
  try {
    writeFileSync(join(dir, 'in.wav'), wav);
    execFileSync('sox', [join(dir, 'in.wav'), '-r', String(rate), '-c', String(channels), '-b', '16', '-e', 'signed-integer', join(dir, 'out.wav')]);
    return readFileSync(join(dir, 'out.wav'));
  } finally {
    cleanup();
  }
}

/** Word error rate (word-level Levenshtein distance / reference length). */
export function wer(reference: string, hypothesis: string): number {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9' ]+/g, ' ').split(/\s+/).filter(Boolean);
  const r = norm(reference);
  const h = norm(hypothesis);
  const d: number[][] = Array.from({ length: r.length + 1 }, (_, i) => Array.from({ length: h.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= r.length; i++) {
    for (let j = 1; j <= h.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (r[i - 1] === h[j - 1] ? 0 : 1));
    }
  }
  return r.length === 0 ? (h.length === 0 ? 0 : 1) : d[r.length]![h.length]! / r.length;
}

/** The `data:` payloads of an SSE body, in order. */
export function sseData(body: string): string[] {
  return body
    .split(/\r?\n\r?\n/)
    .map((event) =>
      event
        .split(/\r?\n/)
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).replace(/^ /, ''))
        .join('\n'),
    )
    .filter((d) => d !== '');
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with the path sent exactly as given (fetch would normalise "/../"). */
export function rawRequest(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<RawResponse> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, path, method: options.method ?? 'GET', headers: options.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Writes an executable bash script (a fake engine binary) and returns its path. */
export function fakeBinary(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/bash\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** True once the process is gone (or a zombie nobody has reaped yet). */
export function processGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

export async function waitFor(cond: () => boolean, timeoutMs = 3000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return cond();
}

export function wavForm(wav: Buffer, fields: Record<string, string> = { model: 'pocketsphinx', language: 'en-US' }, filename = 'speech.wav'): FormData {
  const form = new FormData();
  form.set('file', new Blob([wav], { type: 'audio/wav' }), filename);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
}

export async function postJson(base: string, path: string, token: string | null, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
