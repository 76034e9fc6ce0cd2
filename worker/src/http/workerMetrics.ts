import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Counts } from '@hcingest/shared';

/**
 * The worker's Prometheus metrics. Default Node.js metrics include the event-loop lag
 * (nodejs_eventloop_lag_seconds). Labels carry outcomes and error classes only, never row data.
 */
export class WorkerMetrics {
  readonly registry = new Registry();
  private readonly rows = new Counter({
    name: 'hcingest_worker_rows_total',
    help:
      'Rows handled by this worker, by outcome (inserted, updated, unchanged, superseded, stale, rejected), as its ' +
      "chunks counted them (a later row of a load taking back an earlier row's outcome is in the load report only).",
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly chunks = new Counter({
    name: 'hcingest_worker_chunks_total',
    help: 'Chunks processed by this worker, by result (accounted, duplicate: already accounted before).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'hcingest_worker_chunk_duration_seconds',
    help: 'Time to process one chunk (parse, validate, write, account).',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  private readonly retries = new Counter({
    name: 'hcingest_worker_chunk_retries_total',
    help: 'Chunk attempts after the first one (BullMQ retries and stalled-chunk recoveries).',
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'hcingest_worker_errors_total',
    help: 'Failed chunk attempts, by error class (e.g. MongoNetworkError).',
    labelNames: ['class'] as const,
    registers: [this.registry],
  });

  private limitOf: () => number | undefined = () => undefined;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const limitOf = () => this.limitOf();
    new Gauge({
      name: 'hcingest_worker_chunks_in_flight_limit',
      help:
        "The queue's limit on chunks in flight across all workers (GLOBAL_CONCURRENCY), as this worker last " +
        'applied or saw it: adapted to the store when the setting is auto.',
      registers: [this.registry],
      collect() {
        const limit = limitOf();
        if (limit !== undefined) this.set(limit);
      },
    });
  }

  /** Where the chunks-in-flight limit is read from when the metrics are rendered. */
  limitFrom(read: () => number | undefined): void {
    this.limitOf = read;
  }

  chunkStarted(attempt: number): void {
    if (attempt > 1) this.retries.inc();
  }

  chunkDone(counts: Counts, accounted: boolean, seconds: number): void {
    for (const outcome of ['inserted', 'updated', 'unchanged', 'superseded', 'stale', 'rejected'] as const) {
      if (counts[outcome] > 0) this.rows.inc({ outcome }, counts[outcome]);
    }
    this.chunks.inc({ result: accounted ? 'accounted' : 'duplicate' });
    this.duration.observe(seconds);
  }

  chunkFailed(err: unknown): void {
    this.errors.inc({ class: err instanceof Error ? err.name : typeof err });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
