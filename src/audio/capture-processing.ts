import type { ProcessingFeature } from '../config/parsers.js';

/**
 * The browser's own capture processing (getUserMedia constraints) that `audio-processing`
 * asks for. `auto` is the set chosen by measurement on real human speech (bench/wer.mjs,
 * README "Recognition on human speech"): see AUTO_PROCESSING for what it is and why.
 *
 * Measured (bench/wer.mjs, Asterisk prompts, PocketSphinx on the reference server): Chromium's
 * noise suppression made clean human speech worse (WER 46% vs 38% with no processing on the
 * staged prompts) and distorts synthetic speech (tests/conversation/e2e-command-next-page);
 * it helped only in 10 dB pink noise. Auto gain control alone did best on clean speech; echo
 * cancellation changed little without a far-end signal and is kept, because the assistant's own
 * voice from the speakers must not reach the recogniser or trigger barge-in.
 */
export const AUTO_PROCESSING: readonly ProcessingFeature[] = ['echo-cancellation', 'auto-gain-control'];

/** getUserMedia audio constraints for an `audio-processing` value (`auto`, `none` or a feature list). */
export function processingConstraints(value: string): MediaTrackConstraints {
  const on = value === 'auto' ? AUTO_PROCESSING : value === 'none' ? [] : value.split(' ');
  return {
    echoCancellation: on.includes('echo-cancellation'),
    noiseSuppression: on.includes('noise-suppression'),
    autoGainControl: on.includes('auto-gain-control'),
    channelCount: 1,
  };
}
