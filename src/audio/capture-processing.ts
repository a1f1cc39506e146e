import type { ProcessingFeature } from '../config/parsers.js';

/**
 * The browser's own capture processing (getUserMedia constraints) that `audio-processing`
 * asks for. `auto` is the set chosen by measurement on real human speech (bench/wer.mjs,
 * README "Recognition on human speech"): see AUTO_PROCESSING for what it is and why.
 */
export const AUTO_PROCESSING: readonly ProcessingFeature[] = ['echo-cancellation', 'noise-suppression', 'auto-gain-control'];

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
