import type { Config } from '@hcingest/shared/config';
import { openChunkQueue, type ChunkQueue } from '@hcingest/shared/queue/chunkQueue';
import { createRedis } from '@hcingest/shared/queue/redisConnection';
import { connectStore, type Store } from '@hcingest/shared/store/collections';
import type { Redis } from 'ioredis';

export interface Connections {
  store: Store;
  redis: Redis;
  queue: ChunkQueue;
  close(): Promise<void>;
}

/** MongoDB, Redis and the chunk queue for a command, closed together. */
export async function openConnections(config: Config, appName: string): Promise<Connections> {
  const store = await connectStore(config, appName);
  const redis = createRedis(config);
  const queue = openChunkQueue(config, redis);
  return {
    store,
    redis,
    queue,
    async close() {
      await queue.close().catch(() => undefined);
      await redis.quit().catch(() => undefined);
      await store.client.close().catch(() => undefined);
    },
  };
}
