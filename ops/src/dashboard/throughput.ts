/** Rows accounted at a time: one chunk result (`chunk_results.at`, `counts.rows`). */
export interface RowsAt {
  at: Date;
  rows: number;
}

export interface ThroughputPoint {
  /** start of the bucket (ISO time) */
  t: string;
  /** time the bucket covers within the load: bucketSeconds, except the last bucket, which ends with the load */
  seconds: number;
  /** rows of the chunks accounted in the bucket */
  rows: number;
  /** rows / seconds */
  rowsPerSec: number;
}

export interface Throughput {
  /** average since the load started, to its last event (or to now while it runs); null before any time passed */
  rowsPerSec: number | null;
  /** while the load runs: the rate over the last RECENT_SECONDS (or since the start when younger); null otherwise */
  currentRowsPerSec: number | null;
  bucketSeconds: number;
  /**
   * Oldest first, from the start of the load to its end (the `seconds` add up to the load's
   * duration, the rows to rowsProcessed), so their mean weighted by `seconds` is `rowsPerSec`;
   * empty before any time passed.
   */
  series: ThroughputPoint[];
}

/** Bucket widths tried in turn: the first that keeps the series within MAX_POINTS is used. */
const BUCKET_SECONDS = [2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 86400];
export const MAX_POINTS = 90;
export const RECENT_SECONDS = 10;

export function bucketSecondsFor(spanSeconds: number): number {
  for (const b of BUCKET_SECONDS) if (Math.ceil(spanSeconds / b) <= MAX_POINTS) return b;
  return Math.ceil(spanSeconds / MAX_POINTS);
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * Throughput of a load from its chunk results: rows accounted per time bucket from `start` to
 * `end`. Every rate is the rows of a bucket over the time that bucket covers within the load,
 * and the buckets cover exactly `start`..`end`, so the chart drawn from the series agrees with
 * the average beside it, even for a load shorter than one bucket. Buckets are `bucketSeconds`
 * wide from the start; the last one ends with the load and covers half to one and a half
 * widths (a shorter remainder joins the bucket before it, so a running load's newest point is
 * never the rate of a sliver of time). Results stamped outside the window (clocks of other hosts)
 * count in the first or last bucket, so the series adds up to the rows processed.
 */
export function throughput(results: readonly RowsAt[], start: Date, end: Date, running: boolean): Throughput {
  const startMs = start.getTime();
  const endMs = Math.max(end.getTime(), startMs);
  const spanMs = endMs - startMs;
  const bucketSeconds = bucketSecondsFor(Math.max(spanMs / 1000, 1));
  const bucketMs = bucketSeconds * 1000;
  const count = Math.max(1, Math.round(spanMs / bucketMs));
  const rows = new Array<number>(count).fill(0);
  let total = 0;
  let recent = 0;
  for (const r of results) {
    const offset = r.at.getTime() - startMs;
    const i = Math.min(count - 1, Math.max(0, Math.floor(offset / bucketMs)));
    rows[i]! += r.rows;
    total += r.rows;
    if (endMs - r.at.getTime() <= RECENT_SECONDS * 1000) recent += r.rows;
  }
  const series =
    spanMs === 0
      ? []
      : rows.map((n, i) => {
          const from = startMs + i * bucketMs;
          const to = i === count - 1 ? endMs : from + bucketMs;
          const seconds = (to - from) / 1000;
          return { t: new Date(from).toISOString(), seconds, rows: n, rowsPerSec: round(n / seconds) };
        });
  const spanSeconds = spanMs / 1000;
  return {
    rowsPerSec: spanMs > 0 ? round(total / spanSeconds) : null,
    currentRowsPerSec: running && spanMs > 0 ? round(recent / Math.min(RECENT_SECONDS, spanSeconds)) : null,
    bucketSeconds,
    series,
  };
}
