import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadReport } from '@hcingest/shared';
import { generate } from '../harness/expectations.js';
import { expectExactLoad } from '../harness/loadAssertions.js';
import { isolatedEnv, startProcess, SCRIPTS, startWorker, waitUntil, within } from '../harness/processes.js';
import { freePort, RedisServer } from '../harness/services.js';
import { openDb } from '../harness/store.js';

describe('fault: Redis is restarted in the middle of a load', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-redis-'));
  let redis: RedisServer;
  // Durable like production: append-only file, so a restart keeps the queue.
  const durable = ['--appendonly', 'yes', '--appendfsync', 'always'];

  before(async () => {
    redis = new RedisServer(await freePort());
    await redis.start(durable);
  });
  after(async () => {
    await redis.stop();
    redis.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets producer and workers reconnect on their own and ends exact', async function () {
    const file = join(dir, 'restart.csv');
    const expected = await generate(file, 10_000, 23);
    const env = isolatedEnv('redis', { REDIS_URL: redis.url, QUEUE_MAX_PENDING: '4', FAULT_CHUNK_DELAY_MS: '150' });
    const workers = await Promise.all([1, 2].map(() => startWorker(env)));
    const { client, db } = await openDb(env);
    try {
      const load = await startProcess(SCRIPTS.enqueue, [file, '--chunk-size', '250', '--wait', '--json'], env);
      await waitUntil(
        'a few chunks accounted',
        async () => (await db.collection('chunk_results').countDocuments()) >= 3,
        60_000,
      );
      expect(load.stderr(), 'the producer is still enqueueing').to.not.include('"file enqueued"');

      await redis.stop('SIGTERM');
      await new Promise((r) => setTimeout(r, 3000));
      await redis.start(durable);

      const r = await within('the load to complete after the restart', load.done, 240_000);
      expect(r.code, r.stderr).to.equal(0);
      for (const w of workers) expect(w.proc.exitCode, 'worker survived the restart').to.equal(null);
      await expectExactLoad(db, JSON.parse(r.stdout) as LoadReport, expected, 40);
    } finally {
      await client.close();
      await Promise.all(workers.map((w) => w.stop()));
    }
  });
});
