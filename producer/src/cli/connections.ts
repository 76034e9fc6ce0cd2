import type { Config } from '@hcingest/shared/config';
import { createLogger } from '@hcingest/shared/logger';
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
  // Without a listener BullMQ prints queue errors with console.error, and an ioredis error shows
  // the failed command with its arguments: a wrong password would be echoed (AUTH <password>).
  // Log the error's name and message only, at most once per distinct message every 30 s while
  // ioredis keeps reconnecting.
  const log = createLogger(appName, config.LOG_LEVEL);
  let last = { text: '', at: 0 };
  queue.on('error', (err: Error) => {
    const text = `${err.name}: ${err.message}`.split('\n')[0]!.slice(0, 500);
    if (text === last.text && Date.now() - last.at < 30_000) return;
    last = { text, at: Date.now() };
    log.error({ error: text }, 'queue connection error (retrying)');
  });
  const conn = {
    store,
    redis,
    queue,
    async close() {
      await queue.close().catch(() => undefined);
      await redis.quit().catch(() => undefined);
      await store.client.close().catch(() => undefined);
    },
  };
  // Fail fast on a Redis that cannot be reached at start-up (wrong host or password) instead of
  // waiting forever; once running, commands ride out Redis restarts.
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(`Redis did not answer within ${REDIS_STARTUP_MS / 1000} s (check REDIS_URL and its password)`),
            ),
          REDIS_STARTUP_MS,
        );
      }),
    ]);
  } catch (err) {
    await conn.close();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return conn;
}

const REDIS_STARTUP_MS = 15_000;
