// Makes docs/screenshot.png from a real exchange: the reference server serves the demo, the fake
// microphone asks "what are your opening hours", the inline widget is clicked, and the page is
// captured while the assistant speaks its answer.
// Usage: npm run build && node --import tsx scripts/screenshot.mjs
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, chromiumArgs } from './chromium-args.mjs';
import { mkdirSync } from 'node:fs';
import { startServer } from '../server/src/server.ts';

const server = await startServer({ port: 0, quiet: true });
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  args: chromiumArgs('question.wav'),
});
try {
  const page = await browser.newPage({ viewport: { width: 900, height: 760 }, deviceScaleFactor: 1 });
  await page.goto(server.url);
  await page.waitForFunction(() => customElements.get('voice-assistant'));
  await page.locator('#inline button[part=launcher]').click();
  await page.waitForFunction(() => document.getElementById('inline').state === 'speaking', null, { timeout: 30000 });
  await page.waitForTimeout(500);
  mkdirSync('docs', { recursive: true });
  await page.screenshot({ path: 'docs/screenshot.png' });
  console.log('wrote docs/screenshot.png');
} finally {
  await browser.close();
  await server.close();
}
