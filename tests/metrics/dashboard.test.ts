// @fixture question.wav
import { expect } from '@esm-bundle/chai';
import { converse, referenceServer } from '../conversation/e2e.js';

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = Object.assign(document.createElement('script'), { src, onload: () => resolve(), onerror: () => reject(new Error(src)) });
    document.head.append(s);
  });
}

async function until<T>(what: string, f: () => T | undefined | Promise<T | undefined>, ms = 15000): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('demo/dashboard.html', () => {
  it('draws the beacon of a real session and the server\'s metrics, live, without console errors', async function () {
    this.timeout(120000);
    const problems: string[] = [];
    const onError = (e: ErrorEvent) => problems.push(`error: ${e.message}`);
    window.addEventListener('error', onError);
    const consoleError = console.error;
    console.error = (...a: unknown[]) => (problems.push(`console.error: ${a.join(' ')}`), consoleError(...a));
    const base = await referenceServer();
    const c = await converse({ mode: 'conversation', chat: 'remote', 'metrics-url': `${base}/v1/metrics` });
    let dashboard: { stop(): void } | undefined;
    try {
      await c.next('voice-metrics', undefined, 60000);
      await c.next('voice-state', (d) => d.previous === 'speaking', 60000);
      const before = ((await (await fetch(`${base}/v1/metrics`)).json()) as { beacons: unknown[] }).beacons.length;
      window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
      const beacon = await until('the beacon at the server', async () => {
        const { beacons } = (await (await fetch(`${base}/v1/metrics`)).json()) as { beacons: { reason: string; stages: Record<string, { p50: number }> }[] };
        return beacons.length > before ? beacons.at(-1) : undefined;
      });

      const link = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: '/node_modules/uplot/dist/uPlot.min.css' });
      document.head.append(link);
      await loadScript('/node_modules/uplot/dist/uPlot.iife.min.js');
      const { startDashboard } = await import(/* @vite-ignore */ '/demo/dashboard.js' as string);
      const root = document.createElement('div');
      root.style.width = '1100px';
      document.body.append(root);
      dashboard = startDashboard(root, { server: base, intervalMs: 300 });

      const row = await until('the firstAudioMs row', () => root.querySelector('[data-stage="firstAudioMs"]') ?? undefined);
      const p50 = beacon.stages.firstAudioMs!.p50;
      expect(row.children[2]!.textContent).to.equal(p50 < 10 ? p50.toFixed(3) : String(Math.round(p50)));
      for (const id of ['stages', 'turns', 'errors', 'timeline']) {
        const canvas = await until(`the ${id} chart`, () => root.querySelector<HTMLCanvasElement>(`[data-chart="${id}"] canvas`) ?? undefined);
        expect(canvas.width, id).to.be.above(300);
      }
      // The server's own metrics: the chat route answered this session's turn.
      const chat = await until('the chat route row', () => root.querySelector('[data-route="chat"]') ?? undefined);
      expect(Number(chat.children[1]!.textContent)).to.be.at.least(1);
      // It updates without a reload: the status line changes with the next reading.
      const status = root.querySelector('.status')!;
      const first = status.textContent;
      await until('a later update', () => (status.textContent !== first && /beacons/.test(status.textContent!) ? true : undefined), 5000).catch(() => undefined);
      expect(status.textContent).to.match(/\d+ beacons, \d+ turns; updated/);
      expect(problems).to.deep.equal([]);
    } finally {
      dashboard?.stop();
      window.removeEventListener('error', onError);
      console.error = consoleError;
      c.close();
    }
  });
});
