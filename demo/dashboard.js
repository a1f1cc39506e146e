// The metrics dashboard (demo/dashboard.html): reads GET /v1/metrics (the last widget beacons)
// and GET /metrics (the server's Prometheus text) every `intervalMs`, and draws with uPlot
// (the global `uPlot`, loaded by the page). Usable from another page too:
//   startDashboard(element, { server: 'http://127.0.0.1:8787', intervalMs: 2000 })

const STAGES = ['endpointMs', 'transcriptionMs', 'firstTokenMs', 'speechMs', 'firstAudioMs', 'bargeInMs', 'clickToListeningMs'];
const COLORS = ['#2563eb', '#16a34a', '#f59e0b', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];
const STATES = ['idle', 'loading', 'listening', 'user-speaking', 'transcribing', 'thinking', 'speaking', 'error', 'disabled'];

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** Samples of the Prometheus text format for display: [name, labels, value] (the test reads it with a real parser). */
function samples(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = line.match(/^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/);
    if (!m) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    out.push([m[1], labels, Number(m[3])]);
  }
  return out;
}

const sum = (table) => Object.values(table ?? {}).reduce((a, b) => a + b, 0);
const fmt = (v) => (v === undefined ? '-' : v < 10 ? v.toFixed(3) : Math.round(v).toString());

function chart(card, opts, data) {
  const width = Math.max(320, card.clientWidth - 32);
  return new uPlot({ width, height: 220, ...opts }, data, card);
}

export function startDashboard(root, { server = '', intervalMs = 2000 } = {}) {
  const cards = {};
  const grid = el('div', { class: 'grid' });
  const status = el('p', { class: 'status' }, 'loading…');
  for (const [id, title] of [
    ['stages', 'Latency per stage over time (p50 solid, p95 dashed), ms'],
    ['turns', 'Last turns: where the silence goes (stacked), ms'],
    ['errors', 'Errors and failovers per beacon; server upstream failures'],
    ['timeline', 'State timeline of the last session'],
    ['table', 'Per-stage percentiles, last beacon'],
    ['server', 'Server: requests and mean latency per route'],
  ]) {
    cards[id] = el('section', { class: 'card', 'data-chart': id }, el('h2', {}, title));
    grid.append(cards[id]);
  }
  root.append(status, grid);
  const plots = {};
  const history = { at: [], upstream: [] };

  function draw(id, opts, data) {
    if (plots[id] && plots[id].series.length === opts.series.length) plots[id].setData(data);
    else {
      plots[id]?.destroy();
      plots[id] = chart(cards[id], opts, data);
    }
  }

  function render(beacons, prom) {
    const withTurns = beacons.filter((b) => Object.keys(b.stages).length);
    // 1. Per-stage percentiles over time.
    const shown = STAGES.filter((s) => withTurns.some((b) => b.stages[s]));
    if (withTurns.length && shown.length) {
      const xs = withTurns.map((b) => b.receivedAt / 1000);
      const series = [{}];
      const data = [xs];
      shown.forEach((s, i) => {
        series.push({ label: `${s} p50`, stroke: COLORS[i], width: 2 });
        data.push(withTurns.map((b) => b.stages[s]?.p50 ?? null));
        series.push({ label: `${s} p95`, stroke: COLORS[i], dash: [6, 4] });
        data.push(withTurns.map((b) => b.stages[s]?.p95 ?? null));
      });
      draw('stages', { series, scales: { x: { time: true } }, axes: [{}, { size: 60 }], legend: { live: false } }, data);
    }
    // 2. Per-turn breakdown: stacked bars (each series drawn as the running total, largest first).
    const turns = beacons.flatMap((b) => b.recentTurns).slice(-30);
    if (turns.length) {
      const parts = ['transcriptionMs', 'firstTokenMs', 'speechMs'];
      const xs = turns.map((_, i) => i + 1);
      const cumulative = parts.map((_, k) => turns.map((t) => parts.slice(0, k + 1).reduce((a, p) => a + (t[p] ?? 0), 0)));
      const bars = uPlot.paths.bars({ size: [0.6, 40] });
      const series = [{ label: 'turn' }];
      const data = [xs];
      for (let k = parts.length - 1; k >= 0; k--) {
        series.push({ label: `${parts[k]} (top of stack)`, fill: COLORS[k] + 'cc', stroke: COLORS[k], paths: bars, points: { show: false } });
        data.push(cumulative[k]);
      }
      draw('turns', { series, scales: { x: { time: false, range: [0.5, xs.length + 0.5] }, y: { range: (_, __, max) => [0, max * 1.05] } }, axes: [{ label: 'turn', incrs: [1, 2, 5, 10] }, { size: 60 }], legend: { live: false } }, data);
    }
    // 3. Errors and failovers per beacon, and the server's upstream failures.
    if (beacons.length) {
      const upstream = prom.filter(([n]) => n === 'voice_server_upstream_failures_total').reduce((a, [, , v]) => a + v, 0);
      history.at.push(Date.now() / 1000);
      history.upstream.push(upstream);
      if (history.at.length > 300) (history.at.shift(), history.upstream.shift());
      const xs = beacons.map((b) => b.receivedAt / 1000);
      draw(
        'errors',
        {
          series: [{}, { label: 'widget errors', stroke: COLORS[3], width: 2 }, { label: 'failovers', stroke: COLORS[2], width: 2 }, { label: 'circuit transitions', stroke: COLORS[4], width: 2 }],
          scales: { x: { time: true } },
          legend: { live: false },
        },
        [xs, beacons.map((b) => sum(b.errors)), beacons.map((b) => sum(b.failovers)), beacons.map((b) => sum(b.circuits))],
      );
    }
    // 4. State timeline of the last session, as a stepped line over the states.
    const last = [...beacons].reverse().find((b) => b.timeline.length > 1);
    if (last) {
      const xs = last.timeline.map(([, t]) => t / 1000);
      const ys = last.timeline.map(([s]) => STATES.indexOf(s));
      draw(
        'timeline',
        {
          series: [{ label: 's' }, { label: 'state', stroke: COLORS[0], width: 2, paths: uPlot.paths.stepped({ align: 1 }) }],
          scales: { x: { time: false }, y: { range: [0, STATES.length - 1] } },
          axes: [{ label: 'seconds since activation' }, { values: (_, ticks) => ticks.map((t) => STATES[t] ?? ''), size: 100, splits: () => STATES.map((_, i) => i) }],
          legend: { live: false },
        },
        [xs, ys],
      );
    }
    // 5. Table of the last beacon's percentiles.
    const lastStages = withTurns.at(-1)?.stages ?? {};
    const rows = Object.entries(lastStages).map(([s, q]) => el('tr', { 'data-stage': s }, el('td', {}, s), el('td', {}, String(q.count)), el('td', {}, fmt(q.p50)), el('td', {}, fmt(q.p95)), el('td', {}, fmt(q.p99))));
    cards.table.replaceChildren(
      cards.table.firstChild,
      rows.length ? el('table', {}, el('tr', {}, el('th', {}, 'stage'), el('th', {}, 'n'), el('th', {}, 'p50'), el('th', {}, 'p95'), el('th', {}, 'p99')), ...rows) : el('p', { class: 'empty' }, 'no beacon with a turn yet'),
    );
    // 6. Server requests per route.
    const byRoute = {};
    for (const [n, l, v] of prom) {
      if (n === 'voice_server_request_duration_seconds_count') (byRoute[l.route] ??= {}).count = v;
      if (n === 'voice_server_request_duration_seconds_sum') (byRoute[l.route] ??= {}).sum = v;
      // Realtime turns on the server: commit -> final transcript, response.create -> first audio.
      if (n === 'voice_server_realtime_stage_seconds_count') (byRoute[`realtime ${l.stage.replaceAll('_', ' ')}`] ??= {}).count = v;
      if (n === 'voice_server_realtime_stage_seconds_sum') (byRoute[`realtime ${l.stage.replaceAll('_', ' ')}`] ??= {}).sum = v;
    }
    const routes = Object.entries(byRoute).filter(([, r]) => r.count);
    cards.server.replaceChildren(
      cards.server.firstChild,
      el('table', {}, el('tr', {}, el('th', {}, 'route'), el('th', {}, 'requests'), el('th', {}, 'mean ms')), ...routes.map(([route, r]) => el('tr', { 'data-route': route }, el('td', {}, route), el('td', {}, String(r.count)), el('td', {}, fmt((r.sum / r.count) * 1000))))),
    );
    status.textContent = `${beacons.length} beacons, ${beacons.reduce((a, b) => a + b.turns, 0)} turns; updated ${new Date().toLocaleTimeString()}`;
  }

  let stopped = false;
  async function tick() {
    try {
      const [recent, text] = await Promise.all([fetch(`${server}/v1/metrics`).then((r) => r.json()), fetch(`${server}/metrics`).then((r) => r.text())]);
      render(recent.beacons, samples(text));
    } catch (e) {
      status.textContent = `could not read the metrics (${e.message}); trying again`;
    }
    if (!stopped) timer = setTimeout(tick, intervalMs);
  }
  let timer = setTimeout(tick, 0);
  return {
    /** Resolves after the next update has been drawn. */
    stop() {
      stopped = true;
      clearTimeout(timer);
      for (const p of Object.values(plots)) p.destroy();
    },
  };
}
