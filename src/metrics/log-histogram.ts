/**
 * A fixed log-bucket histogram: bucket `i` holds values up to `MIN * GROWTH^i`, so a quantile
 * read from it is within one bucket (about 9 %) of the true value, whatever the distribution,
 * and its memory is one `Uint32Array` of `BUCKETS` counts however many values it has seen
 * (the same idea as HdrHistogram and Prometheus' native histograms, in 60 lines).
 */
export const MIN = 0.01;
export const GROWTH = 2 ** (1 / 8);
/** From 0.01 to about 1.3e7 (ms: 3.6 h; a factor: far beyond any real-time factor). */
export const BUCKETS = 240;
const LOG_GROWTH = Math.log(GROWTH);

/** The upper bound of bucket `i`. */
export const upperBound = (i: number) => MIN * GROWTH ** i;

/** What a histogram says in a beacon: quantiles read from it, and its non-empty buckets for merging. */
export interface HistogramSummary {
  count: number;
  sum: number;
  min: number;
  max: number;
  p50: number;
  p95: number;
  p99: number;
  /** `[upper bound, count]` of every non-empty bucket, in order. */
  buckets: [number, number][];
}

export class LogHistogram {
  private readonly counts = new Uint32Array(BUCKETS);
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;

  add(value: number): void {
    if (!Number.isFinite(value) || value < 0) return;
    const i = value <= MIN ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(value / MIN) / LOG_GROWTH - 1e-9));
    this.counts[i]!++;
    this.count++;
    this.sum += value;
    this.min = Math.min(this.min, value);
    this.max = Math.max(this.max, value);
  }

  /** The value at quantile `q` (0..1): the upper bound of the bucket that holds it, clamped to the range seen. */
  quantile(q: number): number {
    if (!this.count) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.max, Math.max(this.min, upperBound(i)));
    }
    return this.max;
  }

  summary(): HistogramSummary {
    const r = (v: number) => Math.round(v * 1000) / 1000;
    const buckets: [number, number][] = [];
    this.counts.forEach((n, i) => n && buckets.push([r(upperBound(i)), n]));
    return {
      count: this.count,
      sum: r(this.sum),
      min: r(this.count ? this.min : 0),
      max: r(this.count ? this.max : 0),
      p50: r(this.quantile(0.5)),
      p95: r(this.quantile(0.95)),
      p99: r(this.quantile(0.99)),
      buckets,
    };
  }
}
