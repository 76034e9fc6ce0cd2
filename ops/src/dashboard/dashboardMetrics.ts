import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { type LoadState, type ChunkQueue, type Store, queueBacklog, toReport, withTimeout } from '@hcingest/shared';

const ATTEMPT_RESULTS = ['completed', 'retried', 'failed', 'stalled'] as const;
export type AttemptResult = (typeof ATTEMPT_RESULTS)[number];

const OUTCOMES = ['inserted', 'updated', 'unchanged', 'superseded', 'stale', 'rejected'] as const;
const LOAD_STATES: readonly LoadState[] = ['running', 'completed', 'failed'];
/** Bound on each backend read of a scrape, so /metrics answers during an outage. */
const SCRAPE_TIMEOUT_MS = 5000;

interface Totals {
  rows: number;
  outcomes: Record<(typeof OUTCOMES)[number], number>;
  loads: Record<LoadState, number>;
  failedChunks: number;
  /** documents mirror loads archived, as their load documents record it */
  archived: number;
}

/**
 * The dashboard's Prometheus metrics: the pipeline as a whole, read from Redis (queue depth) and
 * MongoDB (rows and failures of every load, the same data as the load reports) at scrape time, so
 * they survive restarts of the dashboard and are the same whichever dashboard replica is scraped.
 * Chunk durations are observed from the queue's events while the dashboard runs. No label
 * carries row data: states, outcomes and backend names only.
 */
export class DashboardMetrics {
  readonly registry = new Registry();
  private readonly queueJobs = new Gauge({
    name: 'hcingest_queue_jobs',
    help: 'Chunk jobs in the queue, by state (waiting, active, delayed, prioritized, failed, ...).',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  private readonly chunkBacklog = new Gauge({
    name: 'hcingest_chunk_backlog',
    help:
      'Chunk jobs waiting to be worked on: waiting + prioritized + delayed (retry backoff), read at one moment; ' +
      'archive jobs not counted. The figure the workers are autoscaled on (docs/kubernetes.md).',
    registers: [this.registry],
  });
  private readonly rowsProcessed = new Counter({
    name: 'hcingest_rows_processed_total',
    help: 'Rows of the chunks accounted, over every load in the database.',
    registers: [this.registry],
  });
  private readonly rows = new Counter({
    name: 'hcingest_rows_total',
    help: 'Rows accounted over every load, by outcome (inserted, updated, unchanged, superseded, stale, rejected).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly loads = new Gauge({
    name: 'hcingest_loads',
    help: 'Loads in the database, by state (running, completed, failed).',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  private readonly failedChunks = new Gauge({
    name: 'hcingest_failed_chunks',
    help: 'Chunks that exhausted their attempts and have not completed since (npm run failed lists them).',
    registers: [this.registry],
  });
  private readonly archived = new Gauge({
    name: 'hcingest_archived_documents',
    help:
      'Documents moved to the archive by mirror loads whose archive step is done, as their reports count them ' +
      '(restored ones included: they stay in the archive).',
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'hcingest_chunk_duration_seconds',
    help: 'Time from a chunk attempt becoming active to its completion, observed from the queue events while the dashboard runs.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  private readonly attempts = new Counter({
    name: 'hcingest_chunk_attempts_total',
    help:
      'Chunk attempts that ended, by result: completed, retried (failed, will be retried), failed (out of attempts), ' +
      'stalled (its worker stopped answering); observed from the queue events while the dashboard runs.',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  private readonly inFlightLimit = new Gauge({
    name: 'hcingest_chunks_in_flight_limit',
    help:
      "The queue's limit on chunk jobs in flight across all workers (GLOBAL_CONCURRENCY: adapted to the store's " +
      'latency when auto, else pinned); absent until a worker has set it.',
    registers: [this.registry],
  });
  private readonly backendUp = new Gauge({
    name: 'hcingest_dashboard_backend_up',
    help: '1 when the last scrape could read the backend (redis, mongodb), 0 otherwise (its metrics then keep their last values).',
    labelNames: ['backend'] as const,
    registers: [this.registry],
  });
  private refreshing: Promise<void> | undefined;
  private readonly completedLoads = new Map<string, LoadTotals>();

  constructor(
    private readonly store: Store,
    private readonly queue: ChunkQueue,
  ) {
    collectDefaultMetrics({ register: this.registry });
    for (const result of ATTEMPT_RESULTS) this.attempts.inc({ result }, 0);
  }

  observeChunkDuration(seconds: number): void {
    if (Number.isFinite(seconds) && seconds >= 0) this.duration.observe(seconds);
  }

  observeAttempt(result: AttemptResult): void {
    this.attempts.inc({ result });
  }

  /** The metrics in the Prometheus text format, read fresh from the backends. */
  async render(): Promise<{ contentType: string; body: string }> {
    // Concurrent scrapes share one read of the backends.
    this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined));
    await this.refreshing;
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private async refresh(): Promise<void> {
    const [counts, totals, limit, backlog] = await Promise.allSettled([
      withTimeout(this.queue.getJobCounts(), SCRAPE_TIMEOUT_MS, 'redis did not answer'),
      withTimeout(readTotals(this.store, this.completedLoads), SCRAPE_TIMEOUT_MS, 'mongodb did not answer'),
      withTimeout(this.queue.getGlobalConcurrency(), SCRAPE_TIMEOUT_MS, 'redis did not answer'),
      withTimeout(queueBacklog(this.queue), SCRAPE_TIMEOUT_MS, 'redis did not answer'),
    ]);
    if (backlog.status === 'fulfilled') this.chunkBacklog.set(backlog.value.chunks);
    if (limit.status === 'fulfilled') {
      if (limit.value === null) this.inFlightLimit.reset();
      else this.inFlightLimit.set(limit.value);
    }
    const redisUp = counts.status === 'fulfilled' && backlog.status === 'fulfilled';
    this.backendUp.set({ backend: 'redis' }, redisUp ? 1 : 0);
    this.backendUp.set({ backend: 'mongodb' }, totals.status === 'fulfilled' ? 1 : 0);
    if (counts.status === 'fulfilled') {
      for (const [state, n] of Object.entries(counts.value)) this.queueJobs.set({ state }, n);
    }
    if (totals.status === 'fulfilled') {
      const t = totals.value;
      // Counters set to the totals stored in MongoDB: they only grow as chunks are accounted.
      this.rowsProcessed.reset();
      this.rowsProcessed.inc(t.rows);
      this.rows.reset();
      // A running load's sum may dip below zero for a moment (a row taking back the outcome of
      // an earlier row of its load before that row's chunk is accounted): counters never go down.
      for (const outcome of OUTCOMES) this.rows.inc({ outcome }, Math.max(0, t.outcomes[outcome]));
      for (const state of LOAD_STATES) this.loads.set({ state }, t.loads[state]);
      this.failedChunks.set(t.failedChunks);
      this.archived.set(t.archived);
    }
  }
}

interface LoadTotals {
  rows: number;
  outcomes: Totals['outcomes'];
  state: LoadState;
  failedChunks: number;
}

/**
 * Totals over every load, summed from the chunk results. A completed load no longer changes, so
 * its totals are kept in `done` and only the other loads are read again at each scrape.
 */
export async function readTotals(store: Store, done: Map<string, LoadTotals> = new Map()): Promise<Totals> {
  const loads = await store.loads.find({}).toArray();
  const perLoad = await mapInBatches(loads, READ_BATCH, async (load): Promise<LoadTotals> => {
    const cached = done.get(load._id);
    if (cached) return cached;
    const [results, failures] = await Promise.all([
      store.chunkResults.find({ loadId: load._id }).toArray(),
      store.chunkFailures.find({ loadId: load._id }).toArray(),
    ]);
    // The load's own report: the same sums, states and voided failures as status shows.
    const report = toReport(load, results, failures);
    const t: LoadTotals = {
      rows: report.rowsProcessed,
      outcomes: Object.fromEntries(OUTCOMES.map((o) => [o, report[o]])) as Totals['outcomes'],
      state: report.state,
      failedChunks: report.chunks.failed,
    };
    if (t.state === 'completed') done.set(load._id, t);
    return t;
  });
  const totals: Totals = {
    rows: 0,
    outcomes: { inserted: 0, updated: 0, unchanged: 0, superseded: 0, stale: 0, rejected: 0 },
    loads: { running: 0, completed: 0, failed: 0 },
    failedChunks: 0,
    // Read from the load documents each time: a completed load's archive step may still change.
    archived: loads.reduce(
      (n, l) => n + (l.mode === 'mirror' && l.archive?.stage === 'done' ? (l.archive.archived ?? 0) : 0),
      0,
    ),
  };
  for (const t of perLoad) {
    totals.rows += t.rows;
    for (const o of OUTCOMES) totals.outcomes[o] += t.outcomes[o];
    totals.loads[t.state]++;
    totals.failedChunks += t.failedChunks;
  }
  return totals;
}

/** Loads read at once by a scrape (the first scrape reads every load once). */
const READ_BATCH = 16;

async function mapInBatches<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}
