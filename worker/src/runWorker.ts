import type { Server } from 'node:http';
import { Worker, type Job } from 'bullmq';
import {
  type Config,
  checkReadiness,
  markChunkFailed,
  rateLimitedErrors,
  type Logger,
  CHUNK_JOB_NAME,
  type ChunkJobData,
  type ChunkJobResult,
  createRedis,
  connectStore,
  ensureIndexes,
  retryTransient,
} from '@hcingest/shared';
import { startHealthServer } from './http/healthServer.js';
import { LoadSeqs } from './loadSeqs.js';
import { processChunk } from './processChunk.js';
import { DeferredQueryIndexes } from './queryIndexes.js';
import { WorkerMetrics } from './http/workerMetrics.js';

type ChunkJob = Job<ChunkJobData, ChunkJobResult, typeof CHUNK_JOB_NAME>;

/** Error text safe to store and log: the first line, bounded (driver errors carry no row data). */
export function describeError(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.split('\n')[0]!.slice(0, 500);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a worker until SIGTERM/SIGINT; resolves with the process exit code. */
export async function runWorker(config: Config, log: Logger): Promise<number> {
  const onRetry = (err: unknown, attempt: number) =>
    log.warn({ attempt, error: describeError(err) }, 'MongoDB not reachable at start-up: retrying');
  // A worker started during a database outage waits for it rather than exiting.
  const store = await retryTransient(() => connectStore(config, 'hcingest-worker'), { attempts: 20, onRetry });
  const indexes = await retryTransient(() => ensureIndexes(store), { attempts: 20, onRetry });
  const connection = createRedis(config, log);
  const metrics = new WorkerMetrics();
  const loads = new LoadSeqs(store);
  const queryIndexes = new DeferredQueryIndexes(store, log, indexes);
  const faultyChunks = new Set(config.FAULT_FAIL_CHUNKS.split(',').filter(Boolean).map(Number));

  const worker = new Worker<ChunkJobData, ChunkJobResult, typeof CHUNK_JOB_NAME>(
    config.QUEUE_NAME,
    async (job: ChunkJob) => {
      const started = Date.now();
      const where = { loadId: job.data.loadId, chunk: job.data.chunk, attempt: job.attemptsMade + 1 };
      log.info(where, 'chunk started');
      metrics.chunkStarted(where.attempt);
      if (config.FAULT_CHUNK_DELAY_MS > 0) await sleep(config.FAULT_CHUNK_DELAY_MS);
      if (faultyChunks.has(job.data.chunk)) throw new Error(`injected fault for chunk ${job.data.chunk}`);
      const { counts, accounted } = await processChunk(store, job.data, log, loads);
      log.info({ ...where, ms: Date.now() - started, ...counts, accounted }, 'chunk done');
      metrics.chunkDone(counts, accounted, (Date.now() - started) / 1000);
      if (accounted) await queryIndexes.chunkAccounted(job.data.loadId).catch(() => undefined);
      return { rows: counts.rows, accounted };
    },
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
    metrics.chunkFailed(err);
    if (!job) return;
    void (async () => {
      const state = await job.getState().catch(() => 'unknown');
      // Between attempts the job waits in "delayed" (backoff); "failed" means no attempt is left.
      const final = state === 'failed';
      const error = describeError(err);
      const where = { loadId: job.data.loadId, chunk: job.data.chunk, attempt: job.attemptsMade };
      log.warn({ ...where, final, error }, final ? 'chunk failed for good' : 'chunk failed: will retry');
      if (final) {
        await retryTransient(() => markChunkFailed(store, job.data.loadId, job.data.chunk, error, job.attemptsMade), {
          attempts: 10,
        }).catch((e: unknown) => log.error({ ...where, error: describeError(e) }, 'could not record failed chunk'));
      }
    })();
  });
  worker.on('error', rateLimitedErrors(log, 'worker error'));

  let http: Server | undefined;
  if (config.WORKER_HTTP_PORT > 0) {
    // A second worker on the same host cannot bind the same port: it runs on without endpoints.
    http = await startHealthServer(config.WORKER_HTTP_PORT, {
      readiness: () => checkReadiness(connection, store.client),
      extra: { '/metrics': () => metrics.render() },
    }).catch((err: unknown) => {
      log.warn(
        { port: config.WORKER_HTTP_PORT, error: describeError(err) },
        'health endpoints disabled: port unavailable',
      );
      return undefined;
    });
  }

  await worker.waitUntilReady();
  log.info(
    { queue: config.QUEUE_NAME, concurrency: config.WORKER_CONCURRENCY, httpPort: config.WORKER_HTTP_PORT },
    'worker ready',
  );

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  log.info({ signal, graceMs: config.SHUTDOWN_GRACE_MS }, 'shutting down: finishing in-flight chunks');
  let timer: NodeJS.Timeout | undefined;
  const graceful = await Promise.race([
    worker.close().then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), config.SHUTDOWN_GRACE_MS))),
  ]);
  clearTimeout(timer);
  if (!graceful) {
    // Unfinished chunks go back to the queue through stalled-job recovery; nothing is lost.
    log.warn('grace period over: closing with chunks in flight');
    await worker.close(true);
  }
  // An index build in progress finishes within the grace period, or is left to the next start.
  await Promise.race([queryIndexes.settled(), sleep(config.SHUTDOWN_GRACE_MS)]);
  http?.close();
  await connection.quit().catch(() => undefined);
  await store.client.close();
  log.info('worker stopped');
  return 0;
}
