import { readLimitHistory, readPinnedLimit, type ChunkQueue, type RedisClient } from '@hcingest/shared';

/** The queue's limit on chunks in flight across all workers, and how it moved (GLOBAL_CONCURRENCY). */
export interface ConcurrencyView {
  /** BullMQ's global concurrency of the queue; null when none is set (no worker started yet) */
  limit: number | null;
  /** the limit a worker pinned (GLOBAL_CONCURRENCY=<n>); null while it adapts */
  pinned: number | null;
  /** the limit's changes, oldest first: the adaptive limit's, and each switch to or from a pin */
  history: { at: string; limit: number }[];
}

/** Changes shown: the last hour's, so the chart reads at one glance. */
const HISTORY_MS = 60 * 60_000;

export async function readConcurrency(
  queue: ChunkQueue,
  redis: RedisClient,
  now = Date.now(),
): Promise<ConcurrencyView> {
  const [limit, pinned, history] = await Promise.all([
    queue.getGlobalConcurrency(),
    readPinnedLimit(queue, redis),
    readLimitHistory(queue, redis),
  ]);
  const recent = history.filter((h) => h.at >= now - HISTORY_MS);
  // The value in force when the window opens, so the chart starts from it.
  const before = history.filter((h) => h.at < now - HISTORY_MS).at(-1);
  const shown = before ? [{ at: now - HISTORY_MS, limit: before.limit }, ...recent] : recent;
  return { limit, pinned, history: shown.map((h) => ({ at: new Date(h.at).toISOString(), limit: h.limit })) };
}
