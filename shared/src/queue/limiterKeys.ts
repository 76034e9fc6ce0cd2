import type { Queue } from 'bullmq';
import type { RedisClient } from './redisConnection.js';

/**
 * The Redis keys of a queue's adaptive chunk limit (GLOBAL_CONCURRENCY=auto), next to BullMQ's
 * own keys (same prefix, so the same Redis Cluster slot): its state, and the history of its
 * values as `<ms since epoch>:<limit>`, newest first (the last 500 changes).
 */
export function limiterKeys(queue: Pick<Queue, 'toKey'>): { state: string; history: string } {
  return { state: queue.toKey('limiter'), history: queue.toKey('limiter:history') };
}

/**
 * The field of the state that holds a pinned limit (GLOBAL_CONCURRENCY=<n>), absent while the
 * limit adapts: set by a worker that starts pinned, removed by one that starts with auto.
 */
export const PINNED_FIELD = 'pinned';

/** The limit a worker pinned, or null while it adapts (or no worker started). */
export async function readPinnedLimit(queue: Pick<Queue, 'toKey'>, client: RedisClient): Promise<number | null> {
  const pinned = await client.hget(limiterKeys(queue).state, PINNED_FIELD);
  return pinned === null ? null : Number(pinned);
}

/** The limit's changes, oldest first. */
export async function readLimitHistory(
  queue: Pick<Queue, 'toKey'>,
  client: RedisClient,
): Promise<{ at: number; limit: number }[]> {
  const entries = await client.lrange(limiterKeys(queue).history, 0, -1);
  return entries
    .map((e) => e.split(':').map(Number) as [number, number])
    .filter(([at, limit]) => Number.isFinite(at) && Number.isFinite(limit))
    .map(([at, limit]) => ({ at, limit }))
    .reverse();
}
