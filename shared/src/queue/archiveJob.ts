import type { JobsOptions, Queue } from 'bullmq';
import type { ChunkQueue } from './chunkQueue.js';

/**
 * The archive job of a mirror load: one per load, on the chunk queue, added once the last chunk
 * is sent. It waits (delayed, no attempt used) until the load and every earlier load are done,
 * then moves what the file no longer has to the archive (worker archive/).
 */
export interface ArchiveJobData {
  loadId: string;
}

export const ARCHIVE_JOB_NAME = 'archive';

/** Deterministic job id: a resumed load adds the same job again, which BullMQ ignores while it waits. */
export function archiveJobId(loadId: string): string {
  return `${loadId}.archive`;
}

/** The load an archive job's payload names, or undefined when it names none. */
export function readArchiveJob(data: unknown): ArchiveJobData | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { loadId } = data as Record<string, unknown>;
  return typeof loadId === 'string' && loadId !== '' ? { loadId } : undefined;
}

/** The chunk queue seen as holding archive jobs too (one queue, dispatched by job name). */
const asArchiveQueue = (queue: ChunkQueue) => queue as unknown as Queue<ArchiveJobData, unknown, string>;

/** Adds the archive job of a load (a no-op while the same job waits or is delayed). */
export async function addArchiveJob(queue: ChunkQueue, loadId: string, options: JobsOptions): Promise<void> {
  await asArchiveQueue(queue).add(ARCHIVE_JOB_NAME, { loadId }, { ...options, jobId: archiveJobId(loadId) });
}

/**
 * Puts a load's archive job back on the queue: a failed one is retried with fresh attempts, a
 * missing one (completed and removed) is added again; one still waiting or delayed is left.
 */
export async function requeueArchiveJob(queue: ChunkQueue, loadId: string, options: JobsOptions): Promise<void> {
  const job = await asArchiveQueue(queue).getJob(archiveJobId(loadId));
  if (job) {
    const state = await job.getState();
    if (state === 'failed') return job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    if (state !== 'completed') return;
    await job.remove();
  }
  await addArchiveJob(queue, loadId, options);
}

/** The options of an archive job where the producer's are not at hand (`retry`): as a chunk job's defaults. */
export const DEFAULT_ARCHIVE_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: true,
  removeOnFail: false,
};
