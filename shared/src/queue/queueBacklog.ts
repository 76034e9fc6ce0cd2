import type { ChunkQueue } from './chunkQueue.js';
import { parseChunkJobId } from './chunkJob.js';

/**
 * The states of jobs no worker has taken yet, in BullMQ's key layout (5 and 6): `wait` (a list),
 * `prioritized` and `delayed` (sorted sets; delayed holds the retries waiting out their backoff).
 * A paused queue keeps its jobs in `wait`.
 */
export const BACKLOG_STATES = ['waiting', 'prioritized', 'delayed'] as const;

export interface QueueBacklog {
  /** chunk jobs waiting to be worked on: the figure the workers are scaled on */
  chunks: number;
  /** other jobs in those states: the archive jobs of mirror loads (one per load) */
  other: number;
}

/**
 * The jobs waiting to be worked on, split into chunk jobs and the rest. The ids of the three
 * states are read by one BullMQ script, so the figure is one moment of the queue (a job moving
 * from delayed to wait is counted once). Their number is bounded by the producers' backpressure
 * (QUEUE_MAX_PENDING), so reading the ids costs little.
 */
export async function queueBacklog(queue: ChunkQueue): Promise<QueueBacklog> {
  const ids = await queue.getRanges([...BACKLOG_STATES], 0, -1);
  const chunks = ids.filter((id) => parseChunkJobId(id) !== undefined).length;
  return { chunks, other: ids.length - chunks };
}
