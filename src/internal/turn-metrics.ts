import type { VoiceMetricsDetail } from '../events/voice-metrics-event.js';

/** `speechEnd`: the VAD's last voiced frame; `endpoint`: the utterance handed over (the turn ended). */
type Mark = 'speechEnd' | 'endpoint' | 'transcript' | 'firstToken' | 'firstAudio';

const MEASURES: [name: string, from: Mark, to: Mark, key: keyof VoiceMetricsDetail][] = [
  ['speech end → transcript', 'speechEnd', 'transcript', 'speechEndToTranscriptMs'],
  ['transcript → first token', 'transcript', 'firstToken', 'transcriptToFirstTokenMs'],
  ['first token → first audio', 'firstToken', 'firstAudio', 'firstTokenToFirstAudioMs'],
  ['speech end → first audio', 'speechEnd', 'firstAudio', 'speechEndToFirstAudioMs'],
];

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * User Timing entries are never dropped by the browser: past this many per name (turns) they
 * are cleared, so that an hour-long session holds the same number as a short one.
 */
export const MAX_MEASURES_PER_NAME = 100;

/**
 * The timings of one turn (`performance.now()` times). Each mark counts once (the first);
 * `finish()` gives the `voice-metrics` detail once, and records the same spans as
 * `performance.measure` entries named `voice-assistant: …` so they show in DevTools.
 */
export class TurnMetrics {
  private readonly marks: Partial<Record<Mark, number>> = {};
  private bargeInMs?: number;
  private given?: VoiceMetricsDetail;

  constructor(speechEnd = performance.now()) {
    this.marks.speechEnd = speechEnd;
  }

  mark(name: Mark, at = performance.now()): void {
    this.marks[name] ??= at;
  }

  at(name: Mark): number | undefined {
    return this.marks[name];
  }

  bargedIn(ms: number): void {
    this.bargeInMs ??= round(ms);
  }

  /** The detail, when every mark was reached and it was not given before. */
  finish(): VoiceMetricsDetail | undefined {
    if (this.given || MEASURES.some(([, from, to]) => this.marks[from] === undefined || this.marks[to] === undefined)) return undefined;
    const detail = {} as VoiceMetricsDetail;
    for (const [name, from, to, key] of MEASURES) {
      const start = this.marks[from]!;
      const end = Math.max(start, this.marks[to]!);
      detail[key] = round(end - start);
      try {
        const entry = `voice-assistant: ${name}`;
        if (performance.getEntriesByName(entry, 'measure').length >= MAX_MEASURES_PER_NAME) performance.clearMeasures(entry);
        performance.measure(entry, { start, end });
      } catch {
        // Only DevTools lose out (e.g. a time before the page's time origin).
      }
    }
    const { speechEnd, endpoint } = this.marks;
    if (endpoint !== undefined) detail.endpointMs = round(Math.max(0, endpoint - speechEnd!));
    if (this.bargeInMs !== undefined) detail.bargeInMs = this.bargeInMs;
    return (this.given = detail);
  }

  /** After `finish()`, the same detail with the barge-in that came later; undefined without one. */
  interrupted(): VoiceMetricsDetail | undefined {
    return this.given && this.bargeInMs !== undefined ? { ...this.given, bargeInMs: this.bargeInMs } : undefined;
  }
}
