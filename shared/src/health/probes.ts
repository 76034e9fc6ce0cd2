import type { RedisClient } from '../queue/redisConnection.js';
import type { MongoClient } from 'mongodb';
import { withTimeout } from '../util/time.js';

export interface Readiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string }>;
}

/** Pings Redis and MongoDB, each bounded, so that readiness answers quickly during an outage. */
export async function checkReadiness(redis: RedisClient, mongo: MongoClient, timeoutMs = 1500): Promise<Readiness> {
  const probe = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await withTimeout(fn(), timeoutMs, `${what} did not answer in ${timeoutMs} ms`);
      return { ok: true };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message.split('\n')[0] : String(err) };
    }
  };
  const [r, m] = await Promise.all([
    probe('redis', () => redis.ping()),
    probe('mongodb', () => mongo.db('admin').command({ ping: 1 }, { timeoutMS: timeoutMs })),
  ]);
  return { ready: r.ok && m.ok, checks: { redis: r, mongodb: m } };
}
