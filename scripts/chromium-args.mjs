// One set of Chromium flags for everything that drives Debian's browser here: the test runner,
// the benches and the screenshot script (ENVIRONMENT.md: no background networking, fake media).
import { resolve } from 'node:path';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags for a headless run; with `fixture` (a file name in tests/fixtures/ or a path), the fake
 * microphone plays that WAV once from the start of each getUserMedia.
 */
export function chromiumArgs(fixture) {
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--autoplay-policy=no-user-gesture-required',
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    '--js-flags=--expose-gc',
  ];
  if (fixture) args.push(`--use-file-for-fake-audio-capture=${resolve('tests/fixtures', fixture)}%noloop`);
  return args;
}
