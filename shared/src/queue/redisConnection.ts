import { Redis } from 'ioredis';
import type { Config } from '../config.js';

/**
 * An ioredis connection for BullMQ. maxRetriesPerRequest=null makes commands wait for a
 * reconnect instead of failing, which BullMQ workers require and producers want during a
 * Redis restart.
 */
export function createRedis(config: Config): Redis {
  return new Redis(config.REDIS_URL, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(200 * times, 5000),
  });
}
