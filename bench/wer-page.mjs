// Runs in the bench page (serialised by Playwright: self-contained). For each variant: one
// listening run over the whole fake-microphone file with the built element (dictation, remote
// STT on the reference server), collecting the final transcripts and the VAD's segments.
export async function listenInPage({ base, durationMs, speech, variants }) {
  await import(`${base}/dist/voice-assistant.js`);
  const wait = (ms) => new Promise((r) => setTimeout(r, ms));
  const el = document.createElement('voice-assistant');
  const attrs = { mode: 'dictation', endpoint: `${base}/v1`, 'token-url': `${base}/token`, stt: 'remote', tts: 'none', preload: 'none' };
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  document.body.append(el);
  const log = { texts: [], segments: [], problems: [], pending: 0 };
  el.addEventListener('voice-speech-end', (e) => (log.segments.push({ startMs: e.detail.at - e.detail.durationMs, endMs: e.detail.at }), log.pending++));
  el.addEventListener('voice-transcript', (e) => e.detail.final && (log.texts.push(e.detail.text), log.pending--));
  el.addEventListener('voice-error', (e) => (log.problems.push(`${e.detail.code}: ${e.detail.message}`), log.pending--));
  // Warm-up: loads the model and creates the session (its capture controller takes the tuning).
  await window.benchGesture();
  await el.start();
  await wait(800);
  el.stop();
  const Native = window.AudioContext;
  const out = {};
  for (const v of variants) {
    el.setAttribute('audio-processing', v.processing);
    el.session.capture.segmenterTuning = v.tuning ?? {};
    window.AudioContext = v.contextRate ? class extends Native { constructor(o) { super({ ...o, sampleRate: v.contextRate }); } } : Native;
    Object.assign(log, { texts: [], segments: [], problems: [], pending: 0 });
    await window.benchGesture();
    await el.start();
    const openedAt = el.session.capture.openedAt;
    await wait(durationMs + 600 - (performance.now() - openedAt));
    // On a loaded machine the VAD worker runs behind real time: wait until it has heard the file.
    for (let i = 0; i < 25 && ((await el.session.vadStats())?.audioMs ?? 0) < durationMs; i++) await wait(200);
    // A loaded machine makes PocketSphinx slow on noisy audio: wait up to 60 s for the transcript.
    for (let i = 0; i < 600 && log.pending > 0; i++) await wait(100);
    el.stop();
    await wait(200);
    out[v.name] = {
      text: log.texts.join(' '),
      problems: log.problems,
      segments: log.segments.map((s) => ({ startMs: Math.round(s.startMs - speech.startMs), endMs: Math.round(s.endMs - speech.endMs) })),
    };
  }
  window.AudioContext = Native;
  el.remove();
  return out;
}

// The local grammar recogniser (PocketSphinx in WebAssembly, `stt="local"`) on the command-like
// prompts, its grammar the phrases of all of them: `file` is the prompt's span of the fixture
// handed to the same engine chain the widget uses (no capture, no VAD), `widget` one listening
// run in command mode over the whole fake-microphone file.
export async function grammarInPage({ base, durationMs, phrases, file }) {
  await import(`${base}/dist/voice-assistant.js`);
  const wait = (ms) => new Promise((r) => setTimeout(r, ms));
  const el = document.createElement('voice-assistant');
  const attrs = { mode: 'command', commands: phrases.join('; '), stt: 'local', tts: 'none', preload: 'none', endpoint: `${base}/v1` };
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  document.body.append(el);
  const log = { texts: [], commands: [], problems: [], pending: 0 };
  el.addEventListener('voice-speech-end', () => log.pending++);
  el.addEventListener('voice-transcript', (e) => e.detail.final && (log.texts.push(e.detail.text), log.pending--));
  el.addEventListener('voice-command', (e) => log.commands.push(e.detail.phrase ?? e.detail.command ?? ''));
  el.addEventListener('voice-error', (e) => (log.problems.push(`${e.detail.code}: ${e.detail.message}`), log.pending--));
  await el.speak(''); // the session, without the microphone
  const chain = el.session.engines.chain('stt', ['local']);
  const audio = Float32Array.from(file, (v) => v / 32768);
  const direct = await chain.run((e, signal) => e.transcribe({ audio, sampleRate: 16000, language: 'en-US', grammar: phrases, signal }), new AbortController().signal);
  await window.benchGesture();
  await el.start();
  const openedAt = el.session.capture.openedAt;
  await wait(durationMs + 600 - (performance.now() - openedAt));
  for (let i = 0; i < 25 && ((await el.session.vadStats())?.audioMs ?? 0) < durationMs; i++) await wait(200);
  for (let i = 0; i < 300 && log.pending > 0; i++) await wait(100);
  el.stop();
  el.remove();
  return { file: direct.value.text, widget: log.texts.join(' '), commands: log.commands, problems: log.problems };
}
