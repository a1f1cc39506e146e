// Makes docs/screenshot.png: the demo page in headless Chromium, served over loopback.
// Usage: node scripts/screenshot.mjs   (after npm run build)
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { startCdnServer } from '../tests/fakes/cdn-server.mjs';

const { server } = await startCdnServer({ dir: process.cwd(), port: 0 });
const url = `http://127.0.0.1:${server.address().port}/demo/index.html`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 900, height: 760 }, deviceScaleFactor: 1 });
  await page.goto(url);
  await page.waitForFunction(() => customElements.get('voice-assistant'));
  // Show the panels as a visitor sees them after a short exchange.
  await page.evaluate(async () => {
    for (const el of document.querySelectorAll('voice-assistant')) {
      await el.updateComplete;
    }
    const inline = document.getElementById('inline');
    await inline.preloader.run();
    await new Promise((r) => setTimeout(r, 300));
    inline.showTranscript({ who: 'user', text: 'What are your opening hours?', final: true });
    inline.showTranscript({ who: 'assistant', text: 'We are open from nine to six, Monday to Saturday.', final: true });
    inline.showLevel(0.4);
  });
  await page.waitForTimeout(300);
  mkdirSync('docs', { recursive: true });
  await page.screenshot({ path: 'docs/screenshot.png' });
  console.log('wrote docs/screenshot.png');
} finally {
  await browser.close();
  server.close();
}
