// Test-runner commands that reach the browser itself (Playwright launcher), for the second-visit
// test (tests/build/second-visit.test.ts):
//   executeServerCommand('network-record', { on: true })  starts recording every request of the
//                                            page's browser context: the page, its frames and its
//                                            workers (Playwright reports a dedicated worker's
//                                            requests on its page's context)
//   executeServerCommand('network-record', { on: false }) -> [url, ...] stops and returns them
//   executeServerCommand('http-cache', { disabled })       Network.setCacheDisabled through the
//                                            DevTools protocol (DevTools' "Disable cache")
export function browserNetworkPlugin() {
  const recording = new Map();
  const cdps = new Map();
  return {
    name: 'browser-network',
    async executeCommand({ command, payload, session }) {
      if (command !== 'network-record' && command !== 'http-cache') return undefined;
      const page = session.browser.getPage?.(session.id);
      if (!page) return { error: `${command} needs the Playwright launcher` };
      if (command === 'network-record') {
        const old = recording.get(session.id);
        if (old) page.context().off('request', old.listener);
        recording.delete(session.id);
        if (!payload?.on) return old?.urls ?? [];
        const rec = { urls: [], listener: (r) => rec.urls.push(r.url()) };
        page.context().on('request', rec.listener);
        recording.set(session.id, rec);
        return true;
      }
      let cdp = cdps.get(session.id);
      if (!cdp) {
        cdp = await page.context().newCDPSession(page);
        await cdp.send('Network.enable');
        cdps.set(session.id, cdp);
      }
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: !!payload?.disabled });
      if (!payload?.disabled) {
        cdps.delete(session.id);
        await cdp.detach().catch(() => {});
      }
      return true;
    },
  };
}
