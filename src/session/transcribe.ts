import type { EnginesController } from '../controllers/engines-controller.js';
import type { SttResult } from '../engines/stt/stt-engine.js';
import { matchCommand } from '../internal/command-matcher.js';
import type { SessionHost } from './session-host.js';
import type { Turn } from './turn.js';

/**
 * The turn's utterance through the STT chain: the grammar of command mode (or the page's), the
 * language, and the state `transcribing` once the turn is committed.
 */
export function transcribe(host: SessionHost, engines: EnginesController, turn: Turn): Promise<{ value: SttResult; engine: string }> {
  const { config, machine } = host;
  turn.whenCommitted(() => machine.send('utterance'));
  const grammar = config.mode === 'command' ? config.commands : host.grammar.length ? host.grammar : undefined;
  return engines.chain('stt').run(
    (e, callSignal) => e.transcribe({ audio: turn.samples, sampleRate: 16000, language: config.language, grammar, signal: callSignal }),
    turn.signal,
    // Command mode: a transcript that matches no command goes on to the next engine (an
    // open-vocabulary recogniser often mishears a short command that a grammar gets right).
    config.mode === 'command' ? (v) => !!matchCommand(v.text.trim(), config.commands) : undefined,
  );
}
