import {
  type ChunkFailureDoc,
  clearChunkFailures,
  completedChunks,
  chunkJobId,
  type ChunkQueue,
  type Store,
  DEFAULT_ARCHIVE_JOB_OPTIONS,
  getLoad,
  reopenArchive,
  requeueArchiveJob,
} from '@hcingest/shared';

export interface FailedChunk {
  loadId: string;
  chunk: number;
  attempts: number;
  error: string;
  at: string;
}

/** Chunks that failed for good (attempts exhausted, or a permanent fault) and have not completed since, for one load or all. */
export async function listFailedChunks(store: Store, loadId?: string): Promise<FailedChunk[]> {
  const failures: ChunkFailureDoc[] = await store.chunkFailures.find(loadId ? { loadId } : {}).toArray();
  const done = new Map<string, Set<number>>();
  const out: FailedChunk[] = [];
  for (const f of failures) {
    if (!done.has(f.loadId)) done.set(f.loadId, await completedChunks(store, f.loadId));
    if (done.get(f.loadId)!.has(f.chunk)) continue;
    out.push({ loadId: f.loadId, chunk: f.chunk, attempts: f.attempts, error: f.error, at: f.at.toISOString() });
  }
  return out.sort((a, b) => a.loadId.localeCompare(b.loadId) || a.chunk - b.chunk);
}

export interface RetryResult {
  /** chunks put back on the queue with fresh attempts */
  requeued: number[];
  /** failed chunks whose job is gone from Redis: enqueue the file again to re-queue them */
  gone: number[];
  /** a mirror load's archive step put back on the queue (it failed, or waits for the chunks) */
  archive?: boolean;
}

/** Puts a load's failed chunks back on the queue, with their attempts reset. */
export async function retryFailedChunks(store: Store, queue: ChunkQueue, loadId: string): Promise<RetryResult> {
  const failed = await listFailedChunks(store, loadId);
  const result: RetryResult = { requeued: [], gone: [] };
  for (const { chunk } of failed) {
    const job = await queue.getJob(chunkJobId(loadId, chunk));
    if (!job) {
      result.gone.push(chunk);
      continue;
    }
    if ((await job.getState()) === 'failed')
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    result.requeued.push(chunk);
  }
  await clearChunkFailures(store, loadId, result.requeued);
  if (await requeueArchive(store, queue, loadId)) result.archive = true;
  return result;
}

/**
 * A mirror load's archive step, after its chunks were re-queued: made pending again and its job
 * put back when it failed (for good, or because the load had failed chunks). False otherwise.
 */
async function requeueArchive(store: Store, queue: ChunkQueue, loadId: string): Promise<boolean> {
  const load = await getLoad(store, loadId);
  if (load?.mode !== 'mirror' || load.archive?.stage !== 'failed') return false;
  await reopenArchive(store, loadId, false);
  await requeueArchiveJob(queue, loadId, DEFAULT_ARCHIVE_JOB_OPTIONS);
  return true;
}
