// Test-runner commands for the leak test (tests/resilience/leak.test.ts):
//   executeServerCommand('heap-usage')    -> {usedSize, totalSize}: the page's JS heap through the
//                                            DevTools protocol of the Playwright launcher, after
//                                            three full garbage collections
//   executeServerCommand('dist-snapshot') -> {origin}: a private copy of dist/ served on its own
//                                            loopback origin (the runner's port + 6), so that a
//                                            rebuild of dist/ by someone else during the minutes
//                                            the test runs cannot change the code under test
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCdnServer } from '../fakes/cdn-server.mjs';

export function leakTestPlugin({ root, port }) {
  let snapshot;
  return {
    name: 'leak-test',
    async executeCommand({ command, session }) {
      if (command === 'heap-usage') {
        const page = session.browser.getPage?.(session.id);
        if (!page) return { error: 'heap-usage needs the Playwright launcher' };
        const cdp = await page.context().newCDPSession(page);
        try {
          for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
          return await cdp.send('Runtime.getHeapUsage');
        } finally {
          await cdp.detach().catch(() => {});
        }
      }
      if (command === 'dist-snapshot') {
        if (!snapshot) {
          const dir = await mkdtemp(join(tmpdir(), 'va-dist-'));
          await cp(join(root, 'dist'), dir, { recursive: true });
          const { server } = await startCdnServer({ dir, port: port + 6 });
          snapshot = { dir, server, origin: `http://127.0.0.1:${port + 6}` };
        }
        return { origin: snapshot.origin };
      }
      return undefined;
    },
    async serverStop() {
      if (!snapshot) return;
      await new Promise((r) => snapshot.server.close(r));
      await rm(snapshot.dir, { recursive: true, force: true });
    },
  };
}
