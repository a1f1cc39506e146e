// The configuration of one realtime session, as session.update sets it (DESIGN.md section 1,
// transport `realtime`): instructions, voice, output modalities; the audio is PCM16 at 24 kHz and
// the client ends turns (turn_detection null). Anything else it is sent is refused by name.
import { PROTOCOL_RATE } from './audio.ts';

/** A client event refused: `code` and `param` go into the `error` event. */
export class EventError extends Error {
  constructor(readonly code: string, message: string, readonly param?: string) {
    super(message);
  }
}

export class SessionConfig {
  instructions = '';
  voice: string | undefined;
  output_modalities: string[] = ['audio'];

  /** The session object of session.created / session.updated. */
  json(id: string): Record<string, unknown> {
    const pcm = { type: 'audio/pcm', rate: PROTOCOL_RATE };
    return {
      object: 'realtime.session',
      id,
      type: 'realtime',
      model: 'reference-offline',
      instructions: this.instructions,
      output_modalities: this.output_modalities,
      audio: {
        input: { format: pcm, transcription: { model: 'pocketsphinx' }, turn_detection: null },
        output: { format: pcm, voice: this.voice ?? 'kal16' },
      },
    };
  }

  /** Applies a session.update's `session` (throws EventError naming a field it refuses). */
  update(session: unknown): void {
    const s = session as Record<string, unknown> | undefined;
    if (!s || typeof s !== 'object') throw new EventError('invalid_value', '"session" must be an object.', 'session');
    if (s.instructions !== undefined) {
      if (typeof s.instructions !== 'string') throw new EventError('invalid_value', '"session.instructions" must be a string.', 'session.instructions');
      this.instructions = s.instructions;
    }
    const audio = s.audio as { output?: { voice?: unknown; format?: { rate?: unknown } }; input?: { format?: { rate?: unknown }; turn_detection?: unknown } } | undefined;
    const voice = audio?.output?.voice ?? s.voice;
    if (voice !== undefined) {
      if (typeof voice !== 'string') throw new EventError('invalid_value', '"voice" must be a string.', 'session.audio.output.voice');
      this.voice = voice;
    }
    for (const rate of [audio?.input?.format?.rate, audio?.output?.format?.rate]) {
      if (rate !== undefined && rate !== PROTOCOL_RATE) throw new EventError('invalid_value', `Only audio/pcm at ${PROTOCOL_RATE} Hz is supported.`, 'session.audio.format.rate');
    }
    const turn = audio?.input?.turn_detection ?? s.turn_detection;
    if (turn !== undefined && turn !== null) {
      throw new EventError('invalid_value', 'turn_detection must be null: this server leaves the end of a turn to the client (commit + response.create).', 'session.audio.input.turn_detection');
    }
    const modalities = s.output_modalities ?? s.modalities;
    if (modalities !== undefined) {
      if (!Array.isArray(modalities) || !modalities.every((m) => m === 'audio' || m === 'text')) {
        throw new EventError('invalid_value', '"output_modalities" must be ["audio"] or ["text"].', 'session.output_modalities');
      }
      this.output_modalities = modalities as string[];
    }
  }
}
