// Helpers of the fault tests: the element from source with short resilience timings, a
// registered second engine for failover, events recorded, utterances fed straight to the
// session's conversation (the microphone path is not what these tests are about).
import { VoiceAssistant } from '../../src/voice-assistant.js';
const RESILIENCE_DEFAULTS = D;
import { BREAKER_DEFAULTS } from '../../src/resilience/circuit-breaker.js';
import { RESILIENCE_DEFAULTS as D, type SessionResilience } from '../../src/resilience/session-resilience.js';
import type { Conversation } from '../../src/session/conversation.js';
import { sessionOf } from '../helpers/session.js';
import type { TtsRequest } from '../../src/engines/tts/tts-engine.js';

/** The second engines of the chains: they always work, and count their calls. */
export const backup = { stt: 0, tts: 0, ttsTexts: [] as string[] };
VoiceAssistant.registerEngine('backup-stt', () => ({
  name: 'backup-stt',
  async transcribe() {
    backup.stt++;
    return { text: 'backup heard you' };
  },
}));
VoiceAssistant.registerEngine('backup-tts', () => ({
  name: 'backup-tts',
  async synthesize(r: TtsRequest) {
    backup.tts++;
    backup.ttsTexts.push(r.text);
    return { kind: 'pcm' as const, samples: new Float32Array(1200), sampleRate: 24000 };
  },
}));

let seq = 0;
/** Short timings so that a fault costs a test seconds, not minutes; a fresh rate-limit database. */
export function fastResilience(breaker: Partial<typeof BREAKER_DEFAULTS> = {}) {
  Object.assign(backup, { stt: 0, tts: 0, ttsTexts: [] });
  RESILIENCE_DEFAULTS.timeoutMs = { stt: 1500, tts: 1500, chat: 1500 };
  RESILIENCE_DEFAULTS.stallMs = 800;
  RESILIENCE_DEFAULTS.breaker = { ...BREAKER_DEFAULTS, threshold: 2, cooldownMs: 400, jitter: 0, ...breaker };
  RESILIENCE_DEFAULTS.database = `va-fault-tests-${Date.now()}-${seq++}`;
}

/** A budget no test reaches (rate-limit="none" does not survive attribute reflection yet). */
export const UNLIMITED = 'stt=100000/s;tts=100000/s;chat=100000/s';

export interface Mounted {
  el: VoiceAssistant;
  /** The session's resilience layer (rate limiter, breakers) and its turn runner. */
  resilience: SessionResilience;
  conversation: Conversation;
  log: { type: string; detail: any }[];
  of(type: string): any[];
  /** One utterance, straight into the session's conversation; resolves when the turn is over. */
  utter(): Promise<void>;
  /** Errors each engine raised before the chain moved on (from the debug log). */
  failovers: { engine: string; error: any }[];
  remove(): void;
}

const TYPES = ['voice-state', 'voice-transcript', 'voice-response', 'voice-error', 'voice-circuit', 'voice-rate-limited'];
let audio: Float32Array | undefined;

export async function mount(attrs: Record<string, string>): Promise<Mounted> {
  const el = document.createElement('voice-assistant') as VoiceAssistant;
  for (const [k, v] of Object.entries({ preload: 'none', 'rate-limit': UNLIMITED, debug: '', ...attrs })) el.setAttribute(k, v);
  const log: Mounted['log'] = [];
  for (const type of TYPES) el.addEventListener(type, (e) => log.push({ type, detail: (e as CustomEvent).detail }));
  const failovers: Mounted['failovers'] = [];
  const debug = console.debug;
  // The chain tells its failovers to the debug log ("stt engine remote failed, trying ..."): keep them.
  console.debug = (...args: unknown[]) => {
    const m = typeof args[1] === 'string' && /engine (\S+) failed/.exec(args[1]);
    if (m) failovers.push({ engine: m[1]!, error: args[2] });
  };
  document.body.append(el);
  await el.updateComplete;
  const session = sessionOf(el);
  const { conversation } = session;
  audio ??= new Float32Array(16000).map((_, i) => 0.2 * Math.sin(i / 5));
  return {
    el,
    resilience: session.engines.resilience,
    conversation,
    log,
    failovers,
    of: (type) => log.filter((e) => e.type === type).map((e) => e.detail),
    utter: () => conversation.handleUtterance(audio!),
    remove() {
      el.remove();
      console.debug = debug;
    },
  };
}
