// A test-runner command that measures the page's JS heap through the DevTools protocol of the
// Playwright launcher: full garbage collections first, then Runtime.getHeapUsage.
//   browser side: await executeServerCommand('heap-usage')  ->  {usedSize, totalSize}
export function cdpHeapPlugin() {
  return {
    name: 'cdp-heap',
    async executeCommand({ command, session }) {
      if (command !== 'heap-usage') return undefined;
      const page = session.browser.getPage?.(session.id);
      if (!page) return { error: 'heap-usage needs the Playwright launcher' };
      const cdp = await page.context().newCDPSession(page);
      try {
        for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
        return await cdp.send('Runtime.getHeapUsage');
      } finally {
        await cdp.detach().catch(() => {});
      }
    },
  };
}
