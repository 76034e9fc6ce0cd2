import type { Job } from 'bullmq';
import { markChunkFailed, type Logger, isPermanentChunkError, type Store, retryTransient } from '@hcingest/shared';
import { describeError, faultOf } from './chunkFailure.js';
import { chunkRefOf } from './chunkRef.js';

/**
 * Logs a failed chunk attempt and, when it was the last one (attempts used up, or a permanent
 * fault), records the chunk as failed in its load: what `status`, `failed` and `retry` read.
 * Never throws: it runs from an event.
 */
export async function recordFailure(store: Store, log: Logger, job: Job, err: unknown): Promise<void> {
  const state = await job.getState().catch(() => 'unknown');
  // Between attempts the job waits in "delayed" (backoff); "failed" means no attempt is left.
  const final = state === 'failed';
  const fault = faultOf(err);
  const error = describeError(fault);
  const ref = chunkRefOf(job);
  const where = { loadId: ref?.loadId, chunk: ref?.chunk, attempt: job.attemptsMade };
  const permanent = isPermanentChunkError(fault);
  log.warn({ ...where, final, permanent, error }, final ? 'chunk failed for good' : 'chunk failed: will retry');
  if (!final) return;
  if (!ref) {
    log.error({ jobId: job.id, error }, 'could not record failed chunk: its job names no load');
    return;
  }
  await retryTransient(() => markChunkFailed(store, ref.loadId, ref.chunk, error, job.attemptsMade), {
    attempts: 10,
  }).catch((e: unknown) => log.error({ ...where, error: describeError(e) }, 'could not record failed chunk'));
}
