// What every engine needs: the shared process pool and where the binaries are.
import type { ProcessPool } from '../process-pool.ts';
import type { SphinxPool } from './sphinx-pool.ts';
import type { SphinxStreams } from './sphinx-stream.ts';

export interface Binaries {
  flite: string;
  pocketsphinx: string;
  sox: string;
  /** Encodes speech to mp3, opus, aac and flac (Debian package "ffmpeg"). */
  ffmpeg: string;
}

export const DEFAULT_BINARIES: Binaries = {
  flite: 'flite',
  pocketsphinx: 'pocketsphinx_continuous',
  sox: 'sox',
  ffmpeg: 'ffmpeg',
};

export interface EngineContext {
  pool: ProcessPool;
  binaries: Binaries;
  /** Warm recognisers, when this machine can run them (else a process per request). */
  sphinx?: SphinxPool;
  /** Streaming recognisers for realtime sessions (with the warm ones). */
  sphinxStreams?: SphinxStreams;
}
