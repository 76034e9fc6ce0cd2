import type { Config } from '../config/sharedSchema.js';
import { createLogger, rateLimitedErrors } from '../log/logger.js';
import { openChunkQueue, type ChunkQueue } from '../queue/chunkQueue.js';
import { createRedis, pingRedis, type RedisClient } from '../queue/redisConnection.js';
import { connectStore, type Store } from '../store/collections.js';

export interface Connections {
  store: Store;
  redis: RedisClient;
  queue: ChunkQueue;
  close(): Promise<void>;
}

/**
 * MongoDB, Redis and the chunk queue for a command, closed together. A server that does not
 * answer within CONNECT_TIMEOUT_MS at start-up fails the command (naming it) instead of making
 * it wait forever; once running, commands ride out Redis restarts.
 */
export async function openConnections(config: Config, appName: string): Promise<Connections> {
  const log = createLogger(appName, config.LOG_LEVEL);
  const store = await connectStore(config, appName);
  const redis = createRedis(config, log);
  try {
    await pingRedis(redis, config, config.CONNECT_TIMEOUT_MS);
  } catch (err) {
    // disconnect, not quit: quit would wait for a connection that never comes.
    redis.disconnect();
    await store.client.close().catch(() => undefined);
    throw err;
  }
  const queue = openChunkQueue(config, redis);
  // Without a listener BullMQ prints queue errors with console.error, and an ioredis error shows
  // the failed command with its arguments: a wrong password would be echoed (AUTH <password>).
  queue.on('error', rateLimitedErrors(log, 'queue connection error (retrying)'));
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
