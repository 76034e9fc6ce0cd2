import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { clusterSeeds } from '../config/clusterSeeds.js';
import type { Config } from '../config/sharedSchema.js';
import { errorLine, rateLimitedErrors, type ConnectionError, type Logger } from '../log/logger.js';
import { withTimeout } from '../util/time.js';

/** A connection to the queue's Redis: one server, or a Redis Cluster. */
export type RedisClient = Redis | Cluster;

export type RedisSettings = Pick<Config, 'REDIS_URL' | 'REDIS_CLUSTER_NODES'>;

/**
 * How long a command on a cluster keeps retrying while a shard has no master (a failover): the
 * replica of a dead master is promoted after cluster-node-timeout (15 s by default) plus an
 * election; commands wait for it rather than fail the producer or a chunk attempt.
 */
export const CLUSTER_FAILOVER_WAIT_MS = 60_000;
const CLUSTER_RETRY_DELAY_MS = 500;

/**
 * An ioredis connection for BullMQ. maxRetriesPerRequest=null makes commands wait for a
 * reconnect instead of failing, which BullMQ workers require and producers want during a
 * Redis restart. Connection errors are logged, rate-limited: without a listener ioredis prints
 * "Unhandled error event" with a stack trace on every reconnect attempt.
 *
 * With REDIS_CLUSTER_NODES, an ioredis Cluster on those seeds: it discovers the other nodes and
 * follows failovers (MOVED, CLUSTERDOWN, a closed master), retrying for CLUSTER_FAILOVER_WAIT_MS.
 * Every node takes REDIS_URL's user, password and TLS (rediss://).
 */
export function createRedis(
  config: RedisSettings & Pick<Config, 'REDIS_SOCKET_TIMEOUT_MS'>,
  log?: Logger,
): RedisClient {
  const base: RedisOptions = {
    maxRetriesPerRequest: null,
    // A silent connection (nothing received while commands wait) is dropped and reconnected.
    socketTimeout: config.REDIS_SOCKET_TIMEOUT_MS,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(200 * times, 5000),
  };
  const seeds = clusterSeeds(config);
  const redis =
    seeds.length === 0
      ? new Redis(config.REDIS_URL, base)
      : new Cluster(seeds, {
          redisOptions: { ...base, ...credentialsOf(config.REDIS_URL) },
          enableReadyCheck: true,
          clusterRetryStrategy: (times) => Math.min(200 * times, 5000),
          retryDelayOnFailover: CLUSTER_RETRY_DELAY_MS,
          retryDelayOnClusterDown: CLUSTER_RETRY_DELAY_MS,
          retryDelayOnTryAgain: CLUSTER_RETRY_DELAY_MS,
          // Each retry of a command counts as a redirection: enough of them to outlast a failover.
          maxRedirections: Math.ceil(CLUSTER_FAILOVER_WAIT_MS / CLUSTER_RETRY_DELAY_MS),
        });
  redis.on('error', log ? rateLimitedErrors(log, 'Redis connection error (retrying)') : () => undefined);
  return redis;
}

/** The user, password and TLS of a redis:// or rediss:// URL, as ioredis options. */
export function credentialsOf(url: string): Pick<RedisOptions, 'username' | 'password' | 'tls'> {
  const u = new URL(url);
  return {
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** Redis is not reachable: a command gives up (exit 1) rather than wait forever. */
export class RedisUnreachableError extends Error {
  override name = 'RedisUnreachableError';
}

/** host:port of a connection string, without its credentials (for messages). */
export function serverAddress(url: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#]*)/i.exec(url)?.[1] || '(unknown host)';
}

/** Which Redis the settings name, for messages: its address and the variable, never credentials. */
export function describeRedis(config: RedisSettings): string {
  const seeds = clusterSeeds(config);
  return seeds.length === 0
    ? `Redis at ${serverAddress(config.REDIS_URL)} (REDIS_URL)`
    : `Redis Cluster at ${seeds.map((s) => `${s.host}:${s.port}`).join(', ')} (REDIS_CLUSTER_NODES)`;
}

/**
 * Resolves once Redis answers PING; rejects within `timeoutMs` with an error that names Redis,
 * its address and the last connection error, never the credentials.
 */
export async function pingRedis(redis: RedisClient, config: RedisSettings, timeoutMs: number): Promise<void> {
  let lastError = '';
  const note = (err: ConnectionError) => (lastError = errorLine(err));
  redis.on('error', note);
  try {
    await withTimeout(
      redis.ping(),
      timeoutMs,
      () =>
        new RedisUnreachableError(
          `${describeRedis(config)} did not answer within ${timeoutMs / 1000} s` +
            `${lastError ? `: ${lastError}` : ''}; check that it runs, and REDIS_URL with its password`,
        ),
    );
  } finally {
    redis.off('error', note);
  }
}
