// Makes docs/dashboard.png from real sessions: the reference server serves the demo, the fake
// microphone asks "what are your opening hours" to the inline widget (which has metrics-url),
// twice (leaving the page sends its beacon on page hide), then the dashboard is captured.
// Usage: npm run build && node --import tsx scripts/dashboard-screenshot.mjs
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, chromiumArgs } from './chromium-args.mjs';
import { mkdirSync } from 'node:fs';
import { startServer } from '../server/src/server.ts';

const server = await startServer({ port: 0, quiet: true });
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs('question.wav') });
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1000 }, deviceScaleFactor: 1 });
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  for (let run = 0; run < 3; run++) {
    await page.goto(server.url);
    await page.waitForFunction(() => customElements.get('voice-assistant'));
    await page.locator('#inline button[part=launcher]').click();
    await page.waitForFunction(() => document.getElementById('inline').state === 'speaking', null, { timeout: 60000 });
    await page.waitForFunction(() => document.getElementById('inline').state === 'listening', null, { timeout: 60000 });
  }
  await page.goto(`${server.url}/dashboard.html`);
  await page.waitForSelector('[data-chart="timeline"] canvas', { timeout: 20000 });
  await page.waitForTimeout(2500);
  mkdirSync('docs', { recursive: true });
  await page.screenshot({ path: 'docs/dashboard.png', fullPage: true });
  console.log(`wrote docs/dashboard.png; console errors: ${errors.length ? errors.join(' | ') : 'none'}`);
} finally {
  await browser.close();
  await server.close();
}
