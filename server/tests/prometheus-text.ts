// Reads the Prometheus text format with the Prometheus project's own parser
// (prometheus_client.parser.text_string_to_metric_families, Debian python3-prometheus-client),
// not a regex. parse-prometheus-text-format (npm) was tried first: it folds every label set of a
// labelled histogram into one entry, losing the counts per route.
import { spawn } from 'node:child_process';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
export interface Family {
  name: string;
  type: string;
  samples: Sample[];
}

const SCRIPT = `
import json, math, sys
from prometheus_client.parser import text_string_to_metric_families
out = []
for f in text_string_to_metric_families(sys.stdin.read()):
    out.append({"name": f.name, "type": f.type, "samples": [
        {"name": s.name, "labels": s.labels, "value": s.value if math.isfinite(s.value) else str(s.value)} for s in f.samples]})
print(json.dumps(out))
`;

/** Asynchronous, so the server under test (same process) keeps answering meanwhile. */
export function parsePrometheusText(text: string): Promise<Map<string, Family>> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/python3', ['-c', SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`the Prometheus parser refused the text: ${Buffer.concat(err).toString()}`));
      resolve(new Map((JSON.parse(Buffer.concat(out).toString()) as Family[]).map((f) => [f.name, f])));
    });
    child.stdin.end(text);
  });
}

/** The value of the sample `name` (with its suffix: `_total`, `_count`, `_bucket`…) whose labels include `labels`; 0 when absent. */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  for (const f of families.values()) {
    for (const s of f.samples) {
      if (s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) return Number(s.value);
    }
  }
  return 0;
}
