// Real Chromium (Debian's /usr/bin/chromium), real audio from fake-microphone WAV files.
// A test file that needs a particular microphone input says so on its first lines with
// `// @fixture name.wav`; every such fixture gets its own browser launch, because the
// fake-capture file is a per-launch flag (ENVIRONMENT.md).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve, relative } from 'node:path';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { countReporter } from './tests/helpers/count-reporter.mjs';
import { CHROMIUM_PATH, chromiumArgs } from './scripts/chromium-args.mjs';
import { cdnServerPlugin } from './tests/fakes/cdn-server-plugin.mjs';
import { referenceServerPlugin } from './tests/fakes/reference-server-plugin.mjs';
import { faultServerPlugin } from './tests/fakes/fault-server-plugin.mjs';
import { providerFakesPlugin } from './tests/fakes/provider-fakes-plugin.mjs';
import { workerUrlPlugin } from './tests/fakes/worker-url-plugin.mjs';
import { configDocuments } from './tests/fakes/config-documents.mjs';
import { beaconSink } from './tests/fakes/beacon-sink.mjs';
import { jsonModulePlugin } from './tests/fakes/json-module-plugin.mjs';
import { leakTestPlugin } from './tests/resilience/leak-test-plugin.mjs';
import { browserNetworkPlugin } from './tests/fakes/browser-network-plugin.mjs';

const root = resolve('.');

function launcher(fixture) {
  return playwrightLauncher({
    product: 'chromium',
    launchOptions: { executablePath: CHROMIUM_PATH, headless: true, args: chromiumArgs(fixture) },
  });
}

function testFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

// WTR_ONLY=part1,part2 runs only test files whose path contains one of the parts.
const only = (process.env.WTR_ONLY ?? '').split(',').filter(Boolean);
const allFiles = testFiles(join(root, 'tests')).filter((f) => !only.length || only.some((o) => f.includes(o)));
const byFixture = new Map();
for (const file of allFiles) {
  const head = readFileSync(file, 'utf8').slice(0, 400);
  const m = head.match(/@fixture\s+(\S+\.wav)/);
  if (!m) continue;
  if (!byFixture.has(m[1])) byFixture.set(m[1], []);
  byFixture.get(m[1]).push(file);
}
const fixtureFiles = [...byFixture.values()].flat();

// Ports are configurable so several runs can share a machine; the loopback CDN origins are
// the runner's port + 1 and + 2 (tests derive them from location.port).
const port = Number(process.env.WTR_PORT ?? 8000);

export default {
  rootDir: root,
  port,
  nodeResolve: { exportConditions: ['browser', 'production'] },
  files: allFiles.filter((f) => !fixtureFiles.includes(f)),
  groups: [...byFixture.entries()].map(([fixture, files]) => ({
    name: `mic:${fixture}`,
    files,
    browsers: [launcher(fixture)],
  })),
  browsers: [launcher(null)],
  concurrency: 1,
  reporters: [defaultReporter(), countReporter()],
  concurrentBrowsers: 1,
  browserStartTimeout: 60000,
  testsStartTimeout: 120000,
  // The leak test (tests/resilience/leak.test.ts: 100 real mount/start/speak/stop/remove cycles) needs ~5 min.
  testsFinishTimeout: 900000,
  testFramework: { config: { timeout: 60000 } },
  middleware: [configDocuments(), beaconSink()],
  plugins: [
    workerUrlPlugin(),
    jsonModulePlugin(),
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: join(root, 'tsconfig.json') }),
    cdnServerPlugin({ root, port }),
    referenceServerPlugin({ port }),
    faultServerPlugin({ port }),
    providerFakesPlugin({ port }),
    leakTestPlugin({ root, port }),
    browserNetworkPlugin(),
  ],
};
