import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { rateLimitedErrors, type Logger } from '../logger.js';
import { withTimeout } from '../util/time.js';

/**
 * An ioredis connection for BullMQ. maxRetriesPerRequest=null makes commands wait for a
 * reconnect instead of failing, which BullMQ workers require and producers want during a
 * Redis restart. Connection errors are logged, rate-limited: without a listener ioredis prints
 * "Unhandled error event" with a stack trace on every reconnect attempt.
 */
export function createRedis(config: Pick<Config, 'REDIS_URL' | 'REDIS_SOCKET_TIMEOUT_MS'>, log?: Logger): Redis {
  const redis = new Redis(config.REDIS_URL, {
    maxRetriesPerRequest: null,
    // A silent connection (nothing received while commands wait) is dropped and reconnected.
    socketTimeout: config.REDIS_SOCKET_TIMEOUT_MS,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(200 * times, 5000),
  });
  redis.on('error', log ? rateLimitedErrors(log, 'Redis connection error (retrying)') : () => undefined);
  return redis;
}

/** Redis is not reachable: a command gives up (exit 1) rather than wait forever. */
export class RedisUnreachableError extends Error {
  override name = 'RedisUnreachableError';
}

/** host:port of a connection string, without its credentials (for messages). */
export function serverAddress(url: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#]*)/i.exec(url)?.[1] || '(unknown host)';
}

/**
 * Resolves once Redis answers PING; rejects within `timeoutMs` with an error that names Redis,
 * its address and the last connection error, never the credentials.
 */
export async function pingRedis(redis: Redis, url: string, timeoutMs: number): Promise<void> {
  let lastError = '';
  const note = (err: Error) => (lastError = err.message.split('\n')[0]!);
  redis.on('error', note);
  try {
    await withTimeout(
      redis.ping(),
      timeoutMs,
      () =>
        new RedisUnreachableError(
          `Redis at ${serverAddress(url)} (REDIS_URL) did not answer within ${timeoutMs / 1000} s` +
            `${lastError ? `: ${lastError}` : ''}; check that it runs, and REDIS_URL with its password`,
        ),
    );
  } finally {
    redis.off('error', note);
  }
}
