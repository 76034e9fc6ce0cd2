/** Rows accounted at a time: one chunk result (`chunk_results.at`, `counts.rows`). */
export interface RowsAt {
  at: Date;
  rows: number;
}

export interface ThroughputPoint {
  /** start of the bucket (ISO time) */
  t: string;
  /** rows of the chunks accounted in the bucket */
  rows: number;
  rowsPerSec: number;
}

export interface Throughput {
  /** average since the load started, to its last event (or to now while it runs); null before any time passed */
  rowsPerSec: number | null;
  /** while the load runs: the rate over the last RECENT_SECONDS; null otherwise */
  currentRowsPerSec: number | null;
  bucketSeconds: number;
  /** rows per second per bucket, oldest first, from the start of the load; the rows add up to rowsProcessed */
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
 * `end`. Results stamped outside the window (clocks of other hosts) count in the first or last
 * bucket, so the series always adds up to the rows processed.
 */
export function throughput(results: readonly RowsAt[], start: Date, end: Date, running: boolean): Throughput {
  const startMs = start.getTime();
  const endMs = Math.max(end.getTime(), startMs);
  const spanSeconds = (endMs - startMs) / 1000;
  const bucketSeconds = bucketSecondsFor(Math.max(spanSeconds, 1));
  const count = Math.max(1, Math.ceil(spanSeconds / bucketSeconds));
  const rows = new Array<number>(count).fill(0);
  let total = 0;
  let recent = 0;
  for (const r of results) {
    const offset = (r.at.getTime() - startMs) / 1000;
    const i = Math.min(count - 1, Math.max(0, Math.floor(offset / bucketSeconds)));
    rows[i]! += r.rows;
    total += r.rows;
    if (endMs - r.at.getTime() <= RECENT_SECONDS * 1000) recent += r.rows;
  }
  const series = rows.map((n, i) => {
    const bucketStart = startMs + i * bucketSeconds * 1000;
    // The last bucket may be partial: its rate is over the time it covers (at least 1 s).
    const covered = Math.max(1, Math.min(bucketSeconds, (endMs - bucketStart) / 1000));
    return { t: new Date(bucketStart).toISOString(), rows: n, rowsPerSec: round(n / covered) };
  });
  return {
    rowsPerSec: spanSeconds > 0 ? round(total / spanSeconds) : null,
    currentRowsPerSec: running ? round(recent / Math.max(1, Math.min(RECENT_SECONDS, spanSeconds))) : null,
    bucketSeconds,
    series,
  };
}
