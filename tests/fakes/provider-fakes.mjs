// Fakes of the OpenAI-compatible APIs people use (OpenAI, vLLM, speaches, Ollama), each on its
// own loopback port, each refusing what its documentation says it refuses (provider-rules.mjs).
// They answer canned text and audio: the widget's protocol is under test, not recognition.
//
//   POST /v1/audio/transcriptions   multipart: file, model, language, response_format
//   POST /v1/audio/speech           JSON: model, input, voice, response_format (WAV or mp3 here)
//   POST /v1/chat/completions       JSON: model, messages, stream (SSE of chat.completion.chunk)
//   GET  /token                     {"token": "tok-N", "expires_in": 300} (a site's token URL)
//   GET  /v1/realtime               WebSocket, OpenAI's Realtime API (openai-realtime-fake.mjs; OpenAI only)
//   GET  /login                     sets a cookie on this origin (for credentialed token fetches)
//
// Options, as path segments before /v1 (or /token), e.g. /t/mytest/slow-40/v1/chat/completions:
//   t/<tag>           a test's own tag, to count its requests apart
//   slow-<s>          the chat answer streams over s seconds (one piece a second)
//   reasoning-<s>     s seconds of `reasoning_content` deltas before the answer (vLLM reasoning models)
//   stall             the chat answer stops after its first piece and the connection stays open
//   no-done           the stream ends after `finish_reason` without `data: [DONE]`
//   429-<s>           429 with `Retry-After: s` (OpenAI's rate limit error)
//   ignore-format     speech ignores `response_format` and answers the provider's default (mp3)
//   fail-<status>     the token URL answers that status (token requests only)
//   token429-<s>      the token URL answers 429 with `Retry-After: s`
//   no-credentials    CORS without Access-Control-Allow-Credentials (cookies refused)
// Control: GET /__log -> [{tag, route, status, auth, cookie, fields}], POST /__reset.
// CORS: any loopback origin, with credentials.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { wav } from './fault-server.mjs';
import { serveRealtime } from './openai-realtime-fake.mjs';

export const ANSWER = ['Sure.', ' The lights', ' are on now.'];
export const TRANSCRIPT = 'remind me to call my mother tomorrow morning at nine';
/** The answer of `slow-<s>`: one piece a second, a sentence every five. */
export const slowAnswer = (s) => Array.from({ length: s }, (_, i) => `${i ? ' ' : ''}${i % 5 === 4 ? `part ${i + 1}.` : `part ${i + 1}`}`);
const MP3 = readFileSync(new URL('../fixtures/answer.mp3', import.meta.url));
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
const isLoopback = (origin) => /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(origin ?? '');

function parseOptions(pathname) {
  const parts = pathname.split('/').filter(Boolean);
  const o = { tag: '', route: '' };
  let i = 0;
  for (; i < parts.length && parts[i] !== 'v1' && parts[i] !== 'token' && parts[i] !== 'login'; i++) {
    if (parts[i] === 't') o.tag = parts[++i];
    else {
      const m = /^([a-z-]+?|token429|fail|429)-?(\d+)?$/.exec(parts[i]);
      if (m) o[m[1]] = m[2] === undefined ? true : Number(m[2]);
    }
  }
  o.route = '/' + parts.slice(i).join('/');
  return o;
}

/** Starts the fake of `rules` (provider-rules.mjs) on `port` (0: any). */
export async function startProviderFake(rules, { port = 0, host = '127.0.0.1' } = {}) {
  const log = [];
  let tokens = 0;
  const open = new Set();
  const server = createServer(async (req, res) => {
    const origin = req.headers.origin;
    const url = new URL(req.url ?? '/', `http://${host}`);
    const o = parseOptions(url.pathname);
    if (isLoopback(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      if (!o['no-credentials']) res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('access-control-allow-headers', 'authorization, content-type, accept');
      res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
      res.setHeader('access-control-expose-headers', 'retry-after, content-type');
      res.setHeader('vary', 'origin');
    }
    // No keep-alive: a resent request on a reused connection would blur the counts.
    res.setHeader('connection', 'close');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const send = (status, body, headers = {}) => {
      const text = typeof body === 'string' && !headers['content-type'];
      res.writeHead(status, { 'content-type': text ? 'text/plain; charset=utf-8' : 'application/json', 'cache-control': 'no-store', ...headers });
      res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
    };
    if (url.pathname === '/__log') return send(200, log);
    if (url.pathname === '/__reset') return (log.length = 0), (tokens = 0), send(200, { ok: true });

    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    const entry = { tag: o.tag, route: o.route, status: 0, auth: req.headers.authorization ?? '', cookie: req.headers.cookie ?? '', fields: {} };
    log.push(entry);
    if (log.length > 1000) log.shift();
    res.on('finish', () => (entry.status = res.statusCode));
    const refuse = ([status, message, extra = {}], headers = {}) =>
      extra.text ? send(status, message, headers) : send(status, extra.raw ?? rules.error(status, message, extra), headers);

    if (o.route === '/login') return send(200, { ok: true }, { 'set-cookie': 'fake_session=s3cret; Path=/; SameSite=Lax; HttpOnly' });
    if (o.route === '/token') {
      if (o.token429 !== undefined) return send(429, { error: 'slow down' }, { 'retry-after': String(o.token429) });
      if (o.fail) return send(o.fail, { error: `token service answered ${o.fail}` });
      return send(200, { token: `tok-${++tokens}`, expires_in: 300 });
    }
    if (o['429'] !== undefined) {
      return send(429, rules.error(429, 'Rate limit reached for requests. Please try again later.', { type: 'requests', code: 'rate_limit_exceeded' }), {
        'retry-after': String(o['429']),
      });
    }
    if (rules.needsAuth && !/^Bearer tok-\d+$/.test(entry.auth)) {
      return refuse([401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth.", {}]);
    }

    if (o.route === '/v1/audio/transcriptions' && rules.stt) {
      const form = await new Response(body, { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData().catch(() => undefined);
      if (!form) return refuse([400, 'The body is not multipart/form-data.']);
      const f = (entry.fields = Object.fromEntries([...form.keys()].map((k) => [k, k === 'file' ? form.get(k).size : form.get(k)])));
      const known = checkModel(rules, rules.stt, f.model);
      if (known) return refuse(known);
      if (f.language !== undefined && !ISO.test(f.language)) return refuse(rules.badLanguage(f.language));
      if (!(f.file > 44)) return refuse([400, 'Missing or empty file.', { param: 'file' }]);
      return send(200, { text: TRANSCRIPT });
    }
    if (o.route === '/v1/audio/speech' && rules.tts) {
      const j = (entry.fields = parseJson(body));
      if (!j) return refuse([400, 'The body is not JSON.']);
      const known = checkModel(rules, rules.tts, j.model);
      if (known) return refuse(known);
      if (!j.voice) return refuse(rules.missingVoice());
      if (!rules.tts.voices.includes(j.voice)) return refuse([400, `Voice '${j.voice}' is not one of ${rules.tts.voices.join(', ')}.`, { param: 'voice' }]);
      const format = o['ignore-format'] ? rules.tts.defaultFormat : (j.response_format ?? rules.tts.defaultFormat);
      if (format === 'wav') return send(200, wav({ seconds: 0.4, rate: 24000, amplitude: 8000 }), { 'content-type': 'audio/wav' });
      if (format === 'mp3') return send(200, MP3, { 'content-type': 'audio/mpeg' });
      return refuse([400, `This fake encodes wav and mp3 only, not ${format}.`]);
    }
    if (o.route === '/v1/chat/completions' && rules.chat) {
      const j = (entry.fields = parseJson(body));
      if (!j) return refuse([400, 'The body is not JSON.']);
      const known = checkModel(rules, rules.chat, j.model);
      if (known) return refuse(known);
      if (!Array.isArray(j.messages) || !j.messages.length) return refuse([400, "Missing required parameter: 'messages'.", { param: 'messages' }]);
      return streamChat(res, rules, j, o, () => (open.add(res), res.on('close', () => open.delete(res))));
    }
    refuse(rules.notFound(o.route));
  });
  const realtime = rules.realtime ? serveRealtime(server, { log, parseOptions, transcript: TRANSCRIPT, answer: ANSWER }) : undefined;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    url: `http://${host}:${server.address().port}`,
    async close() {
      for (const res of open) res.destroy();
      for (const ws of realtime?.clients ?? []) ws.terminate();
      server.closeAllConnections?.();
      await new Promise((r) => server.close(r));
    },
  };
}

const ISO = /^[a-z]{2}$/;
const parseJson = (b) => {
  try {
    return JSON.parse(b.toString('utf8'));
  } catch {
    return undefined;
  }
};

/** A refusal for a missing or unknown model, or undefined when the model is fine. */
function checkModel(rules, cap, model) {
  if (!model) return cap.modelRequired ? rules.missingModel() : undefined;
  return cap.models.includes(model) ? undefined : rules.unknownModel(model);
}

async function streamChat(res, rules, j, o, hold) {
  const model = j.model ?? rules.chat.models[0];
  const id = `chatcmpl-fake${Date.now()}`;
  const chunk = (delta, finish = null) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  const pieces = o.slow ? slowAnswer(o.slow) : ANSWER;
  if (j.stream === false) {
    return void res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ id, object: 'chat.completion', model, choices: [{ index: 0, message: { role: 'assistant', content: pieces.join('') }, finish_reason: 'stop' }] }));
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(chunk({ role: 'assistant', content: '' }));
  let gone = false;
  res.on('close', () => (gone = true));
  for (let t = 0; t < (o.reasoning ?? 0) * 2 && !gone; t++) {
    await wait(500);
    res.write(chunk({ reasoning_content: t ? ' hmm' : 'Thinking about the lights' }));
  }
  for (let i = 0; i < pieces.length && !gone; i++) {
    if (o.slow && i) await wait(1000);
    res.write(chunk({ content: pieces[i] }));
    if (o.stall) return hold();
  }
  if (gone) return;
  res.write(chunk({}, 'stop'));
  res.end(o['no-done'] ? '' : 'data: [DONE]\n\n');
}
