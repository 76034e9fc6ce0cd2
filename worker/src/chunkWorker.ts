import type { Server } from 'node:http';
import { DelayedError, Worker, type Job } from 'bullmq';
import {
  checkReadiness,
  rateLimitedErrors,
  type Logger,
  CHUNK_JOB_NAME,
  readChunkJob,
  type ChunkJobData,
  type ChunkJobResult,
  createRedis,
  connectStore,
  ensureIndexes,
  type Store,
  retryTransient,
  globalConcurrencyOf,
  openChunkQueue,
  type ChunkQueue,
  TimeoutError,
  withTimeout,
  ARCHIVE_JOB_NAME,
} from '@hcingest/shared';
import { recordArchiveFailure, runArchiveJob, type ArchiveDeps } from './archive/archiveJob.js';
import { holdWhileArchiving } from './archive/laterChunkHold.js';
import type { WorkerConfig } from './settings.js';
import { describeError, faultOf, toQueueError } from './chunkFailure.js';
import { chunkRefOf } from './chunkRef.js';
import { GlobalConcurrency } from './concurrency/globalConcurrency.js';
import { startHealthServer } from './http/healthServer.js';
import { WorkerMetrics } from './http/workerMetrics.js';
import { LoadSeqs } from './loadSeqs.js';
import { processChunk, type ChunkOutcome } from './processChunk.js';
import { DeferredQueryIndexes } from './deferredQueryIndexes.js';
import { recordFailure } from './recordFailure.js';
import { WriteMarkSweeper } from './write/writeMarkSweeper.js';

export type ChunkJob = Job<ChunkJobData, ChunkJobResult, typeof CHUNK_JOB_NAME>;

/**
 * Turns one chunk job into its outcome; the worker logs, measures and accounts around it. The
 * job's data is as queued, not yet checked: the default processor checks it first.
 */
export type ChunkProcessor = (job: ChunkJob) => Promise<ChunkOutcome>;

export interface ChunkWorkerOptions {
  /** the settings; WORKER_CONCURRENCY, the queue, lock and stalled settings, WORKER_HTTP_PORT... */
  config: WorkerConfig;
  log: Logger;
  /**
   * Wraps the chunk processor (to instrument, slow down or fail it): given the default one
   * (parse, validate, write, account), returns the one the worker runs.
   */
  wrap?: (processor: ChunkProcessor) => ChunkProcessor;
}

/** What a started worker holds, to be closed in order. */
interface Running {
  store: Store;
  connection: ReturnType<typeof createRedis>;
  worker: Worker<ChunkJobData, ChunkJobResult, typeof CHUNK_JOB_NAME>;
  queryIndexes: DeferredQueryIndexes;
  queue: ChunkQueue;
  sweeper: WriteMarkSweeper;
  http: Server | undefined;
}

/**
 * A chunk worker's lifecycle, like BullMQ's own Worker: it owns the MongoDB and Redis
 * connections, the BullMQ worker, the health endpoints and the metrics. Signals are the
 * caller's business (main.ts): it calls close() on one.
 */
export class ChunkWorker {
  private readonly config: WorkerConfig;
  private readonly log: Logger;
  private readonly wrap: (processor: ChunkProcessor) => ChunkProcessor;
  private readonly metrics = new WorkerMetrics();
  private starting: Promise<Running> | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: ChunkWorkerOptions) {
    this.config = options.config;
    this.log = options.log;
    this.wrap = options.wrap ?? ((processor) => processor);
  }

  /**
   * Connects (waiting for MongoDB during an outage rather than failing), starts taking chunk
   * jobs and the health endpoints; resolves once the worker consumes the queue ("worker ready").
   */
  async waitUntilReady(): Promise<void> {
    this.starting ??= this.start();
    await this.starting;
  }

  /**
   * Takes no new chunk, waits up to graceMs for the in-flight ones, then closes anyway (an
   * unfinished chunk goes back to the queue through stalled-job recovery) and disconnects.
   */
  async close(graceMs: number): Promise<void> {
    this.closing ??= this.stop(graceMs);
    await this.closing;
  }

  private async start(): Promise<Running> {
    const { config, log } = this;
    const onRetry = (err: unknown, attempt: number) =>
      log.warn({ attempt, error: describeError(err) }, 'MongoDB not reachable at start-up: retrying');
    // A worker started during a database outage waits for it rather than exiting.
    const store = await retryTransient(() => connectStore(config, 'hcingest-worker'), { attempts: 20, onRetry });
    const indexes = await retryTransient(() => ensureIndexes(store, config.QUERY_INDEXES), { attempts: 20, onRetry });
    const connection = createRedis(config, log);
    const loads = new LoadSeqs(store);
    const queryIndexes = new DeferredQueryIndexes(store, log, indexes);
    const queue = openChunkQueue(config, connection);
    // Without a listener BullMQ prints a connection error with console.error, the AUTH command's
    // password included (log-hygiene.test.ts).
    queue.on('error', rateLimitedErrors(log, 'queue connection error (retrying)'));
    const limit = new GlobalConcurrency(queue, connection, globalConcurrencyOf(config.GLOBAL_CONCURRENCY)!, log);
    await limit.start();
    this.metrics.limitFrom(() => limit.limit);
    const sweeper = new WriteMarkSweeper(store, log);
    // The payload is checked first: a job that is no chunk job fails for good (InvalidChunkJobError).
    const processor = this.wrap((job) => processChunk(store, readChunkJob(job.data), log, loads));

    const worker = new Worker<ChunkJobData, ChunkJobResult, typeof CHUNK_JOB_NAME>(
      config.QUEUE_NAME,
      (job: ChunkJob, token?: string) =>
        this.dispatch(job, token, { store, queue, loads, log, batchSize: config.ARCHIVE_BATCH_SIZE }, () =>
          this.handle(job, processor, queryIndexes, limit),
        ),
      {
        connection,
        prefix: config.QUEUE_PREFIX,
        concurrency: config.WORKER_CONCURRENCY,
        lockDuration: config.LOCK_DURATION_MS,
        stalledInterval: config.STALLED_INTERVAL_MS,
        maxStalledCount: config.MAX_STALLED_COUNT,
        autorun: true,
      },
    );
    worker.on('failed', (job, err) => {
      if (job && (job.name as string) === ARCHIVE_JOB_NAME) return void recordArchiveFailure(store, log, job, err);
      this.metrics.chunkFailed(faultOf(err));
      if (job) void recordFailure(store, log, job, err);
    });
    worker.on('error', rateLimitedErrors(log, 'worker error'));

    const http = await this.startHttp(connection, store);
    await worker.waitUntilReady();
    log.info(
      {
        queue: config.QUEUE_NAME,
        concurrency: config.WORKER_CONCURRENCY,
        globalConcurrency: config.GLOBAL_CONCURRENCY,
        chunksInFlightLimit: limit.limit,
        httpPort: config.WORKER_HTTP_PORT,
      },
      'worker ready',
    );
    sweeper.start();
    return { store, connection, worker, queryIndexes, queue, sweeper, http };
  }

  /**
   * Jobs by name: a mirror load's archive job to its step; a chunk job, unless an earlier mirror
   * load's archive step runs (then it goes back to delayed unprocessed), to `chunk`.
   */
  private async dispatch(
    job: ChunkJob,
    token: string | undefined,
    deps: ArchiveDeps,
    chunk: () => Promise<ChunkJobResult>,
  ): Promise<ChunkJobResult> {
    if ((job.name as string) === ARCHIVE_JOB_NAME) {
      await runArchiveJob(deps, job, token);
      return { rows: 0, accounted: false };
    }
    await this.holdIfArchiving(job, token, deps);
    return chunk();
  }

  /**
   * A chunk of a load after a mirror load whose archive step runs goes back to delayed (DelayedError).
   * Looking costs a read: when the store does not answer it, the attempt fails, logged as any other.
   */
  private async holdIfArchiving(job: ChunkJob, token: string | undefined, deps: ArchiveDeps): Promise<void> {
    const ref = chunkRefOf(job);
    try {
      // An unknown load is the processor's to fail (permanently), as before.
      const seq = ref === undefined ? undefined : await deps.loads.of(ref.loadId).catch(() => undefined);
      if (seq !== undefined) await holdWhileArchiving(deps.store, seq, job, token);
    } catch (err) {
      if (err instanceof DelayedError) throw err;
      const where = { loadId: ref?.loadId, chunk: ref?.chunk, attempt: job.attemptsMade + 1 };
      this.log.warn({ ...where, error: describeError(err) }, 'chunk attempt failed');
      throw toQueueError(err);
    }
  }

  /** One chunk job: the processor, with its logs and metrics around it. */
  private async handle(
    job: ChunkJob,
    processor: ChunkProcessor,
    queryIndexes: DeferredQueryIndexes,
    limit: GlobalConcurrency,
  ): Promise<ChunkJobResult> {
    const started = Date.now();
    const ref = chunkRefOf(job);
    const where = { loadId: ref?.loadId, chunk: ref?.chunk, attempt: job.attemptsMade + 1 };
    this.log.info(where, 'chunk started');
    this.metrics.chunkStarted(where.attempt);
    let outcome: ChunkOutcome;
    try {
      outcome = await processor(job);
    } catch (err) {
      // Logged here, where it happens: the "failed" event (recordFailure) needs Redis, which may be
      // the very thing that is unreachable.
      this.log.warn({ ...where, ms: Date.now() - started, error: describeError(err) }, 'chunk attempt failed');
      // A permanent fault fails the job at once; anything else is retried with backoff.
      throw toQueueError(err);
    }
    const { counts, accounted } = outcome;
    this.log.info({ ...where, ms: Date.now() - started, ...counts, accounted }, 'chunk done');
    const ms = Date.now() - started;
    this.metrics.chunkDone(counts, accounted, ms / 1000);
    if (accounted) {
      void limit
        .sample(ms, counts.rows)
        .catch((err: unknown) => this.log.warn({ error: describeError(err) }, 'chunk limit not updated'));
    }
    if (accounted && ref) await queryIndexes.chunkAccounted(ref.loadId).catch(() => undefined);
    return { rows: counts.rows, accounted };
  }

  /** The health endpoints, unless disabled (port 0) or the port is taken. */
  private async startHttp(connection: Running['connection'], store: Store): Promise<Server | undefined> {
    const port = this.config.WORKER_HTTP_PORT;
    if (port === 0) return undefined;
    // A second worker on the same host cannot bind the same port: it runs on without endpoints.
    return startHealthServer(port, {
      readiness: () => checkReadiness(connection, store.client),
      extra: { '/metrics': () => this.metrics.render() },
    }).catch((err: unknown) => {
      this.log.warn({ port, error: describeError(err) }, 'health endpoints disabled: port unavailable');
      return undefined;
    });
  }

  private async stop(graceMs: number): Promise<void> {
    // Nothing to close when it never started or failed to (the caller saw why).
    const running = await this.starting?.catch(() => undefined);
    if (!running) return;
    const { worker, queryIndexes, queue, sweeper, http, connection, store } = running;
    const closing = worker.close();
    const sweeping = sweeper.close();
    if (!(await settlesWithin(closing, graceMs))) {
      // BullMQ's close waits for in-flight chunks even when forced, so it is not waited for: the
      // connections close under them and the process ends. Their locks then expire and another
      // worker takes the chunks over (stalled-job recovery); writes are idempotent: nothing is
      // lost or counted twice.
      this.log.warn('grace period over: closing with chunks in flight (another worker takes them over)');
      closing.catch(() => undefined);
      void worker.close(true).catch(() => undefined);
      http?.close();
      connection.disconnect();
      await closesWithin(store.client.close(true), this.log, 'MongoDB');
      this.log.info('worker stopped');
      return;
    }
    // An index build in progress finishes within the grace period, or is left to the next start.
    await settlesWithin(Promise.all([queryIndexes.settled(), sweeping]), graceMs);
    await closesWithin(queue.close(), this.log, 'the queue');
    http?.close();
    if (!(await closesWithin(connection.quit(), this.log, 'Redis'))) connection.disconnect();
    await closesWithin(store.client.close(), this.log, 'MongoDB');
    this.log.info('worker stopped');
  }
}

/**
 * How long closing a connection may take at shutdown. Closing talks to the server (Redis QUIT,
 * MongoDB endSessions): on a silent connection that would wait for the socket timeouts (minutes),
 * holding the exit long after the grace period. The server drops a connection left behind.
 */
const CLOSE_TIMEOUT_MS = 2000;

/** Whether closing a connection ended within CLOSE_TIMEOUT_MS (an error counts as closed). */
async function closesWithin(closing: Promise<unknown>, log: Logger, what: string): Promise<boolean> {
  const closed = await settlesWithin(
    closing.catch(() => undefined),
    CLOSE_TIMEOUT_MS,
  );
  if (!closed) log.warn({ ms: CLOSE_TIMEOUT_MS }, `${what} did not answer while closing: leaving the connection`);
  return closed;
}

/** Whether `promise` settles within `ms` (its rejection passes through). */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return withTimeout(
    promise.then(() => true),
    ms,
    'grace period over',
  ).catch((err: unknown) => {
    if (err instanceof TimeoutError) return false;
    throw err;
  });
}
