// OpenAI's Realtime API over WebSocket, as its documentation describes it for a browser:
// https://platform.openai.com/docs/guides/realtime-websocket (GET /v1/realtime?model=..., the key
// in the subprotocols `["realtime", "openai-insecure-api-key.<key>"]`, `session.created` first),
// the client events https://platform.openai.com/docs/api-reference/realtime-client-events and the
// server events https://platform.openai.com/docs/api-reference/realtime-server-events, GA names:
// - input transcription (`audio.input.transcription`: `model`, `language` in ISO-639-1) arrives as
//   `conversation.item.input_audio_transcription.delta` events carrying only the new text (`delta`),
//   then `.completed` with the whole `transcript`;
// - a commit of less than 100 ms of audio is refused (`input_audio_buffer_commit_empty`);
// - `response.create` answers with `response.output_audio_transcript.delta`,
//   `response.output_audio.delta` (base64 PCM16, 24 kHz mono) and `response.done`.
// The transcript and answer are canned (the protocol is under test, not recognition).
// Path option `late-transcript`: the input transcription comes after response.done, as the API
// reference allows ("transcription runs asynchronously with Response creation, so this event may
// come before or after the Response events").
import { WebSocketServer } from 'ws';

const REALTIME_MODELS = ['gpt-realtime', 'gpt-realtime-mini', 'gpt-4o-realtime-preview'];
let ids = 0;
const id = (prefix) => `${prefix}_fake${++ids}`;

/** Base64 PCM16 of `seconds` of a 440 Hz tone at 24 kHz. */
function tone(seconds) {
  const pcm = new Int16Array(Math.round(24000 * seconds)).map((_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 440 * i) / 24000)));
  return Buffer.from(pcm.buffer).toString('base64');
}

/**
 * Serves `/v1/realtime` upgrades of `server` (the provider fake's HTTP server). Each session is
 * logged as `{tag, route: '/v1/realtime', status, auth, fields: {model, session, events}}`.
 */
export function serveRealtime(server, { log, parseOptions, transcript, answer }) {
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => (protocols.has('realtime') ? 'realtime' : false) });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const o = parseOptions(url.pathname);
    if (o.route !== '/v1/realtime') return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => session(ws, req, url, o));
  });

  function session(ws, req, url, o) {
    const protocols = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    const key = protocols.find((p) => p.startsWith('openai-insecure-api-key.'))?.slice('openai-insecure-api-key.'.length) ?? '';
    const model = url.searchParams.get('model');
    const entry = { tag: o.tag, route: o.route, status: 101, auth: key, cookie: '', fields: { model, session: undefined, events: [] } };
    log.push(entry);
    const send = (e) => ws.readyState === ws.OPEN && ws.send(JSON.stringify({ event_id: id('event'), ...e }));
    const refuse = (code, message, closeCode = 1008) => {
      send({ type: 'error', error: { type: 'invalid_request_error', code, message, param: null } });
      entry.status = closeCode;
      ws.close(closeCode, message.slice(0, 100));
    };
    if (!/^tok-\d+$/.test(key)) return refuse('invalid_api_key', 'Incorrect API key provided.');
    if (!REALTIME_MODELS.includes(model ?? '')) return refuse('model_not_found', `The model \`${model}\` does not exist or you do not have access to it.`);
    const config = { type: 'realtime', model, audio: { input: { format: { type: 'audio/pcm', rate: 24000 }, transcription: null, turn_detection: { type: 'server_vad' } }, output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'alloy' } } };
    send({ type: 'session.created', session: config });
    let buffered = 0;
    let previous = null;
    let responding;
    let lateTranscript;
    ws.on('message', (data) => {
      let e;
      try {
        e = JSON.parse(String(data));
      } catch {
        return send({ type: 'error', error: { type: 'invalid_request_error', code: 'invalid_json', message: 'The event is not JSON.' } });
      }
      entry.fields.events.push(e.type);
      switch (e.type) {
        case 'session.update': {
          const input = e.session?.audio?.input;
          if (e.session?.type !== 'realtime') return send({ type: 'error', error: { type: 'invalid_request_error', code: 'missing_required_parameter', param: 'session.type', message: "Missing required parameter: 'session.type'." } });
          const language = input?.transcription?.language;
          if (language !== undefined && !/^[a-z]{2}$/.test(language)) return send({ type: 'error', error: { type: 'invalid_request_error', code: 'invalid_value', param: 'session.audio.input.transcription.language', message: `Invalid language '${language}'. Language parameter must be specified in ISO-639-1 format.` } });
          entry.fields.session = e.session;
          if (input) config.audio.input = { ...config.audio.input, ...input };
          return send({ type: 'session.updated', session: config });
        }
        case 'input_audio_buffer.append':
          buffered += Buffer.from(String(e.audio ?? ''), 'base64').length;
          return;
        case 'input_audio_buffer.clear':
          buffered = 0;
          return send({ type: 'input_audio_buffer.cleared' });
        case 'input_audio_buffer.commit': {
          const ms = (buffered / 2 / 24000) * 1000;
          if (ms < 100) return send({ type: 'error', error: { type: 'invalid_request_error', code: 'input_audio_buffer_commit_empty', message: `Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${ms.toFixed(2)}ms of audio.` } });
          buffered = 0;
          const item_id = id('item');
          send({ type: 'input_audio_buffer.committed', previous_item_id: previous, item_id });
          previous = item_id;
          if (!config.audio.input.transcription) return;
          const transcribe = () => {
            const words = transcript.split(' ');
            words.forEach((w, i) => send({ type: 'conversation.item.input_audio_transcription.delta', item_id, content_index: 0, delta: i ? ` ${w}` : w }));
            send({ type: 'conversation.item.input_audio_transcription.completed', item_id, content_index: 0, transcript });
          };
          if (o['late-transcript']) return void (lateTranscript = transcribe);
          return transcribe();
        }
        case 'response.create': {
          const response_id = id('resp');
          const item_id = id('item');
          responding = response_id;
          send({ type: 'response.created', response: { id: response_id, status: 'in_progress' } });
          const base = { response_id, item_id, output_index: 0, content_index: 0 };
          for (const piece of answer) send({ type: 'response.output_audio_transcript.delta', ...base, delta: piece });
          send({ type: 'response.output_audio.delta', ...base, delta: tone(0.6) });
          send({ type: 'response.output_audio.done', ...base });
          send({ type: 'response.output_audio_transcript.done', ...base, transcript: answer.join('') });
          responding = undefined;
          send({ type: 'response.done', response: { id: response_id, status: 'completed', output: [{ id: item_id, type: 'message', role: 'assistant' }] } });
          // After the answer's audio has played out at the client (0.6 s), as a slow transcription would.
          if (lateTranscript) setTimeout(lateTranscript, 1500);
          lateTranscript = undefined;
          return;
        }
        case 'response.cancel':
          if (!responding) return send({ type: 'error', error: { type: 'invalid_request_error', code: 'response_cancel_not_active', message: 'Cancellation failed: no active response found' } });
          return;
        case 'conversation.item.truncate':
          return send({ type: 'conversation.item.truncated', item_id: e.item_id, content_index: 0, audio_end_ms: e.audio_end_ms });
        default:
          return send({ type: 'error', error: { type: 'invalid_request_error', code: 'invalid_event', message: `Invalid value: '${e.type}'.` } });
      }
    });
  }
  return wss;
}
