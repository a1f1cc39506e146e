// Screenshot test of each state (light, dark, Arabic right to left, forced colours): renders the
// BUILT widget again with scripts/state-screenshots.mjs and compares every image with its
// committed reference in docs/states/, pixel by pixel in Chromium's canvas, with a small
// tolerance (anti-aliasing). After an intended change of look: regenerate and commit them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, chromiumArgs } from '../../scripts/chromium-args.mjs';
import { SHOTS, renderStates } from '../../scripts/state-screenshots.mjs';

/** Share of pixels (0..1) whose colour differs by more than `channel` in some channel; null if sizes differ. */
async function difference(page, a, b, channel = 32) {
  return page.evaluate(
    async ({ a, b, channel }) => {
      const load = async (b64) => createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
      const [x, y] = await Promise.all([load(a), load(b)]);
      if (x.width !== y.width || x.height !== y.height) return { size: [x.width, x.height, y.width, y.height] };
      const pixels = (img) => {
        const c = new OffscreenCanvas(img.width, img.height).getContext('2d');
        c.drawImage(img, 0, 0);
        return c.getImageData(0, 0, img.width, img.height).data;
      };
      const [p, q] = [pixels(x), pixels(y)];
      let off = 0;
      for (let i = 0; i < p.length; i += 4) {
        if (Math.max(Math.abs(p[i] - q[i]), Math.abs(p[i + 1] - q[i + 1]), Math.abs(p[i + 2] - q[i + 2])) > channel) off++;
      }
      return { share: off / (p.length / 4) };
    },
    { a, b, channel },
  );
}

test('each state looks as its committed reference (docs/states/*.png)', { timeout: 120000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'va-states-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs(null) });
  try {
    const files = await renderStates(out);
    assert.equal(files.length, SHOTS.length);
    const page = await browser.newPage();
    const report = [];
    for (const shot of SHOTS) {
      const now = readFileSync(join(out, `${shot.name}.png`)).toString('base64');
      const ref = readFileSync(join('docs/states', `${shot.name}.png`)).toString('base64');
      const d = await difference(page, now, ref);
      report.push(`${shot.name}: ${d.size ? `size ${d.size}` : `${(d.share * 100).toFixed(2)}%`}`);
      assert.ok(!d.size, `${shot.name}: size changed ${d.size}`);
      assert.ok(d.share <= 0.005, `${shot.name}: ${(d.share * 100).toFixed(2)}% of pixels differ (tolerance 0.5%); if intended, run node scripts/state-screenshots.mjs`);
    }
    console.log(report.join('\n'));
    // The comparison can fail: two different states are far apart.
    const a = readFileSync('docs/states/idle-light.png').toString('base64');
    const b = readFileSync('docs/states/idle-dark.png').toString('base64');
    const far = await difference(page, a, b);
    assert.ok(far.size || far.share > 0.2, 'light and dark differ');
  } finally {
    await browser.close();
    rmSync(out, { recursive: true, force: true });
  }
});
