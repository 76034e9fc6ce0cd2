import { Worker, type Job } from 'bullmq';
import type { Config } from '@hcingest/shared/config';
import { markChunkFailed } from '@hcingest/shared/load/loadStore';
import type { Logger } from '@hcingest/shared/logger';
import { CHUNK_JOB_NAME, type ChunkJobData, type ChunkJobResult } from '@hcingest/shared/queue/chunkJob';
import { createRedis } from '@hcingest/shared/queue/redisConnection';
import { connectStore, ensureIndexes } from '@hcingest/shared/store/collections';
import { processChunk } from './processChunk.js';

type ChunkJob = Job<ChunkJobData, ChunkJobResult, typeof CHUNK_JOB_NAME>;

/** Error text safe to store and log: the first line, bounded (driver errors carry no row data). */
export function describeError(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.split('\n')[0]!.slice(0, 500);
}

/** Runs a worker until SIGTERM/SIGINT; resolves with the process exit code. */
export async function runWorker(config: Config, log: Logger): Promise<number> {
  const store = await connectStore(config, 'hcingest-worker');
  await ensureIndexes(store);
  const connection = createRedis(config);

  const worker = new Worker<ChunkJobData, ChunkJobResult, typeof CHUNK_JOB_NAME>(
    config.QUEUE_NAME,
    async (job: ChunkJob) => {
      const started = Date.now();
      const { counts, accounted } = await processChunk(store, config, job.data, log);
      log.info(
        {
          loadId: job.data.loadId,
          chunk: job.data.chunk,
          attempt: job.attemptsMade + 1,
          ms: Date.now() - started,
          ...counts,
          accounted,
        },
        'chunk done',
      );
      return { rows: counts.rows, accounted };
    },
    {
      connection,
      prefix: config.QUEUE_PREFIX,
      concurrency: config.WORKER_CONCURRENCY,
      lockDuration: config.LOCK_DURATION_MS,
      autorun: true,
    },
  );

  worker.on('failed', (job, err) => {
    if (!job) return;
    const attempts = job.opts.attempts ?? 1;
    const final = job.attemptsMade >= attempts;
    const error = describeError(err);
    log.warn(
      { loadId: job.data.loadId, chunk: job.data.chunk, attempt: job.attemptsMade, attempts, final, error },
      'chunk failed',
    );
    if (final) {
      markChunkFailed(store, job.data.loadId, job.data.chunk, error, job.attemptsMade).catch((e: unknown) =>
        log.error(
          { loadId: job.data.loadId, chunk: job.data.chunk, error: describeError(e) },
          'could not record failed chunk',
        ),
      );
    }
  });
  worker.on('error', (err) => log.error({ error: describeError(err) }, 'worker error'));

  await worker.waitUntilReady();
  log.info({ queue: config.QUEUE_NAME, concurrency: config.WORKER_CONCURRENCY }, 'worker ready');

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
  await connection.quit().catch(() => undefined);
  await store.client.close();
  log.info('worker stopped');
  return 0;
}
