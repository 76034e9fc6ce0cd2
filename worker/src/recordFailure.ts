import type { Job } from 'bullmq';
import { markChunkFailed } from '@hcingest/shared/load/loadStore';
import type { Logger } from '@hcingest/shared/logger';
import type { Store } from '@hcingest/shared/store/collections';
import { retryTransient } from '@hcingest/shared/store/retry';
import type { ChunkJobData } from '@hcingest/shared/queue/chunkJob';
import { describeError } from './chunkFailure.js';

/**
 * Logs a failed chunk attempt and, when it was the last one, records the chunk as failed in
 * the load (what `status`, `failed` and `retry` read). Never throws: it runs from an event.
 */
export async function recordFailure(store: Store, log: Logger, job: Job<ChunkJobData>, err: unknown): Promise<void> {
  const state = await job.getState().catch(() => 'unknown');
  // Between attempts the job waits in "delayed" (backoff); "failed" means no attempt is left.
  const final = state === 'failed';
  const error = describeError(err);
  const where = { loadId: job.data.loadId, chunk: job.data.chunk, attempt: job.attemptsMade };
  log.warn({ ...where, final, error }, final ? 'chunk failed for good' : 'chunk failed: will retry');
  if (!final) return;
  await retryTransient(() => markChunkFailed(store, job.data.loadId, job.data.chunk, error, job.attemptsMade), {
    attempts: 10,
  }).catch((e: unknown) => log.error({ ...where, error: describeError(e) }, 'could not record failed chunk'));
}
