import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { writeDataset } from '@hcingest/generator';
import { isolatedEnv, run, SCRIPTS } from '../harness/processes.js';
import { freePort, RedisServer } from '../harness/services.js';

async function usedMemory(url: string, field: 'used_memory' | 'used_memory_peak'): Promise<number> {
  const r = new Redis(url);
  try {
    const info = await r.info('memory');
    return Number(new RegExp(`^${field}:(\\d+)`, 'm').exec(info)![1]);
  } finally {
    r.disconnect();
  }
}

describe('fault: backpressure bounds Redis memory by the window, not the file', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-bp-'));
  let redis: RedisServer;
  before(async () => {
    redis = new RedisServer(await freePort());
    await redis.start();
  });
  after(async () => {
    await redis.stop();
    redis.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the Redis peak under a bound derived from QUEUE_MAX_PENDING for 200,000 and 400,000 rows', async function () {
    const WINDOW = 10;
    const DRAIN_CONCURRENCY = 4;
    const env = isolatedEnv('bp', { REDIS_URL: redis.url, QUEUE_MAX_PENDING: String(WINDOW), CHUNK_SIZE: '1000' });
    // A slow consumer that only acknowledges jobs: this test is about the producer and Redis.
    let biggest = 0;
    const drainConnection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const drain = new Worker(
      env.QUEUE_NAME!,
      async (job) => {
        biggest = Math.max(biggest, JSON.stringify(job.data).length);
        await new Promise((r) => setTimeout(r, 20));
      },
      { connection: drainConnection, concurrency: DRAIN_CONCURRENCY },
    );
    const baseline = await usedMemory(redis.url, 'used_memory');
    try {
      const peaks: number[] = [];
      for (const rows of [200_000, 400_000]) {
        const file = join(dir, `bp-${rows}.csv`);
        await writeDataset(file, { rows, seed: 30 });
        const r = await run(SCRIPTS.enqueue, [file, '--json'], env, 240_000);
        expect(r.code, r.stderr).to.equal(0);
        peaks.push(await usedMemory(redis.url, 'used_memory_peak'));
      }
      // Jobs that can exist at once: the waiting window, the ones being processed, one being
      // added; each stored about once as data (x2 for Redis's encoding and bookkeeping).
      const bound = baseline + (WINDOW + DRAIN_CONCURRENCY + 1) * biggest * 2;
      const fileSized = baseline + 200 * biggest;
      expect(bound, 'the bound is far below what holding the file would take').to.be.lessThan(fileSized / 2);
      for (const peak of peaks) expect(peak).to.be.lessThan(bound);
    } finally {
      await drain.close();
      const q = new Queue(env.QUEUE_NAME!, { connection: { url: redis.url } });
      await q.obliterate({ force: true });
      await q.close();
      drainConnection.disconnect();
    }
  });
});
