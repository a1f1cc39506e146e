// What the realtime endpoint has seen, for tests and the bench (the browser tests read it through
// tests/fakes/reference-server-plugin.mjs): client events by type, sockets, refused credentials,
// and the audio sent after a response.cancel arrived (must stay 0: cancel stops audio at once).

export interface RealtimeStats {
  /** Sockets accepted with a valid token, and those still open. */
  sessions: number;
  /** Sessions relayed to the realtime upstream (UPSTREAM_REALTIME_URL). */
  relayed: number;
  /** Sessions that had a streaming recogniser of their own (the others re-decoded). */
  streamed: number;
  open: number;
  /** Upgrades refused for their credential, by code. */
  refused: Record<string, number>;
  /** Client events received, by type (malformed ones as "(invalid)"). */
  received: Record<string, number>;
  /** Audio deltas sent, and those sent for a response after its cancel was received. */
  audioDeltas: number;
  audioDeltasAfterCancel: number;
  /** Responses that ended cancelled. */
  cancelled: number;
  /** The last conversation.item.truncate accepted. */
  lastTruncate?: { item_id: string; audio_end_ms: number };
  /** Partial decodes: how many ran and how long they took (streamed: the new audio only; else full re-decodes of the buffer so far). */
  partialDecodes: number;
  partialDecodeMs: number[];
  /** Final transcripts that needed no decode of their own: the streaming decoder's, or a partial re-decode that already covered all the speech. */
  finalsFromPartials: number;
  /** Answers prepared while the user paused (realtime/speculation.ts), those a response.create adopted, and adopted ones whose final transcript differed from the words they answered. */
  speculations: number;
  speculationsAdopted: number;
  speculationMismatches: number;
}

export function newRealtimeStats(): RealtimeStats {
  return { sessions: 0, relayed: 0, streamed: 0, open: 0, refused: {}, received: {}, audioDeltas: 0, audioDeltasAfterCancel: 0, cancelled: 0, partialDecodes: 0, partialDecodeMs: [], finalsFromPartials: 0, speculations: 0, speculationsAdopted: 0, speculationMismatches: 0 };
}

export function count(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}
