import { VoiceAssistantError } from '../../errors.js';
import type { EngineContext } from '../engine-context.js';
import type { ExternalAudio, TtsEngine, TtsRequest } from './tts-engine.js';

/**
 * The Web Speech API (`speechSynthesis`). It plays by itself, so it yields `ExternalAudio`.
 * Used only when the browser reports voices: headless Chromium without speech-dispatcher has
 * none and would otherwise "speak" silently and at once.
 */
export class BrowserTts implements TtsEngine {
  readonly name = 'browser';

  constructor(private readonly ctx: EngineContext) {}

  async available(): Promise<boolean> {
    const synth = globalThis.speechSynthesis;
    if (!synth) return false;
    if (synth.getVoices().length) return true;
    // Chromium fills the list asynchronously on first use.
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 300);
      synth.addEventListener('voiceschanged', () => (clearTimeout(t), resolve()), { once: true });
    });
    return synth.getVoices().length > 0;
  }

  async synthesize(request: TtsRequest): Promise<ExternalAudio> {
    if (!(await this.available())) throw new VoiceAssistantError('unsupported', 'This browser has no speech synthesis voices.', true);
    const synth = globalThis.speechSynthesis;
    const wanted = request.voice ?? this.ctx.config.voice;
    const voices = synth.getVoices();
    const voice =
      voices.find((v) => v.name === wanted) ??
      voices.find((v) => v.lang === request.language) ??
      voices.find((v) => v.lang.startsWith(request.language.split('-')[0]!));
    return {
      kind: 'external',
      play: (signal) =>
        new Promise<void>((resolve, reject) => {
          const u = new SpeechSynthesisUtterance(request.text);
          u.lang = request.language;
          if (voice) u.voice = voice;
          const stop = () => synth.cancel();
          signal.addEventListener('abort', stop, { once: true });
          u.onend = () => (signal.removeEventListener('abort', stop), resolve());
          u.onerror = (e) => {
            signal.removeEventListener('abort', stop);
            if (e.error === 'interrupted' || e.error === 'canceled') resolve();
            else reject(new VoiceAssistantError('engine-failed', `Speech synthesis failed: ${e.error}`, true));
          };
          synth.speak(u);
        }),
    };
  }
}
