// Screenshots of the widget in each state (light, dark, Arabic right to left, forced colours) in
// headless Chromium, from the BUILT element served by the reference server. The states are
// set through the element's own state machine and view methods, with reduced motion so that
// no animation is caught half-way. docs/states/*.png are the committed references that
// tests/node/state-screenshots.test.mjs compares against.
// Usage: npm run build && node scripts/state-screenshots.mjs [outDir]
import { chromium } from 'playwright-core';
import { tsImport } from 'tsx/esm/api';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHROMIUM_PATH, chromiumArgs } from './chromium-args.mjs';

const PATH = {
  idle: [],
  loading: ['activate'],
  listening: ['activate', 'listen'],
  'user-speaking': ['activate', 'listen', 'speech'],
  thinking: ['activate', 'listen', 'speech', 'utterance', 'transcript'],
  speaking: ['activate', 'listen', 'speech', 'utterance', 'transcript', 'audio'],
  error: ['activate', 'fail'],
};

/** Every shot: name, state, colour scheme, language, forced colours. */
export const SHOTS = [
  ...Object.keys(PATH).flatMap((state) => ['light', 'dark'].map((scheme) => ({ name: `${state}-${scheme}`, state, scheme, language: 'en' }))),
  { name: 'speaking-ar-light', state: 'speaking', scheme: 'light', language: 'ar' },
  { name: 'listening-ar-dark', state: 'listening', scheme: 'dark', language: 'ar' },
  { name: 'listening-forced-colors', state: 'listening', scheme: 'light', language: 'en', forced: true },
];

const LINES = {
  en: ['When are you open?', 'We are open from nine in the morning to six in the evening, Monday to Saturday.'],
  ar: ['متى تفتحون؟', 'نفتح من التاسعة صباحًا حتى السادسة مساءً، من الاثنين إلى السبت.'],
};

/** Renders every shot into `outDir`; returns the file paths. */
export async function renderStates(outDir, shots = SHOTS) {
  // The reference server is TypeScript: loaded with tsx's scoped import (no global loader needed).
  const { startServer } = await tsImport('../server/src/server.ts', import.meta.url);
  const server = await startServer({ port: 0, quiet: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs(null) });
  mkdirSync(outDir, { recursive: true });
  const files = [];
  try {
    const page = await browser.newPage({ viewport: { width: 480, height: 480 }, deviceScaleFactor: 1, reducedMotion: 'reduce' });
    await page.goto(`${server.url}/dist/asset-manifest.json`);
    for (const shot of shots) {
      await page.emulateMedia({ colorScheme: shot.scheme, forcedColors: shot.forced ? 'active' : 'none', reducedMotion: 'reduce' });
      await page.evaluate(
        async ({ shot, path, lines }) => {
          await import('/dist/voice-assistant.js');
          document.documentElement.lang = shot.language;
          document.body.replaceChildren();
          document.body.style.cssText = 'margin:0;padding:16px;background:Canvas;color:CanvasText';
          const el = document.createElement('voice-assistant');
          for (const [k, v] of Object.entries({ variant: 'inline', preload: 'none', tts: 'none', stt: 'remote', endpoint: 'http://127.0.0.1:9/v1' })) el.setAttribute(k, v);
          document.body.append(el);
          await el.speak(''); // loads the panel's code, opens nothing
          await new Promise((r) => setTimeout(r, 50));
          for (const h of path[shot.state]) el.machine.send(h);
          const [q, a] = lines[shot.language];
          el.showTranscript({ who: 'user', text: q, final: true });
          if (shot.state === 'speaking' || shot.state === 'idle') el.showTranscript({ who: 'assistant', text: a, final: true });
          if (shot.state === 'loading') el.showProgress({ label: 'the speech detector', loaded: 420, total: 1000 });
          if (shot.state === 'listening' || shot.state === 'user-speaking') el.showLevel(shot.state === 'listening' ? 0.25 : 0.7);
          if (shot.state === 'error') el.message = 'Microphone access was denied. Allow it in the site settings, or type below.';
          await el.updateComplete;
          await new Promise((r) => setTimeout(r, 100));
          await document.fonts.ready;
        },
        { shot, path: PATH, lines: LINES },
      );
      const file = join(outDir, `${shot.name}.png`);
      await page.locator('voice-assistant').screenshot({ path: file, animations: 'disabled', caret: 'hide' });
      files.push(file);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return files;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const files = await renderStates(process.argv[2] ?? 'docs/states');
  console.log(`wrote ${files.length} screenshots to ${process.argv[2] ?? 'docs/states'}`);
}
