import { Queue } from 'bullmq';
import type { RedisClient } from './redisConnection.js';
import type { Config } from '../config/sharedSchema.js';
import { CHUNK_JOB_NAME, type ChunkJobData, type ChunkJobResult } from './chunkJob.js';

export type ChunkQueue = Queue<ChunkJobData, ChunkJobResult, typeof CHUNK_JOB_NAME>;

export function openChunkQueue(config: Config, connection: RedisClient): ChunkQueue {
  return new Queue<ChunkJobData, ChunkJobResult, typeof CHUNK_JOB_NAME>(config.QUEUE_NAME, {
    connection,
    prefix: config.QUEUE_PREFIX,
  });
}

/** Jobs not yet taken by a worker: what backpressure bounds. */
export async function pendingJobs(queue: ChunkQueue): Promise<number> {
  return queue.getJobCountByTypes('waiting', 'prioritized', 'delayed');
}
