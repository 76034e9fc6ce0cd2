import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  createRedis,
  loadConfig,
  openChunkQueue,
  readLimitHistory,
  type ChunkQueue,
  type LoadReport,
  type RedisClient,
} from '@hcingest/shared';
import { readConcurrency } from '@hcingest/ops';
import { ChunkWorker, GlobalConcurrency, loadWorkerConfig } from '@hcingest/worker';
import { accountUrl, ensureAccounts } from '../harness/accounts.js';
import { generate } from '../harness/expectations.js';
import { expectExactLoad } from '../harness/loadAssertions.js';
import { isolatedEnv, run, SCRIPTS } from '../harness/processes.js';
import { openDb } from '../harness/store.js';

/**
 * The limit on chunks in flight across all workers (GLOBAL_CONCURRENCY): pinned, BullMQ holds
 * every worker to it; adaptive, workers on several hosts share one state in Redis that grows
 * the limit while the store's time per row stays flat and cuts it when that time climbs.
 */
const log = createLogger('test', 'silent');

describe('global concurrency: chunks in flight across all workers', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-gc-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('holds two workers of two chunks each to one chunk at a time when pinned to 1, and the load is exact', async function () {
    const env = isolatedEnv('gcpin', { GLOBAL_CONCURRENCY: '1', WORKER_CONCURRENCY: '2' });
    await ensureAccounts(env);
    const config = loadWorkerConfig({ ...process.env, ...env, MONGO_URL: accountUrl(env, 'writer') });
    let inFlight = 0;
    let most = 0;
    const workers = [1, 2].map(
      () =>
        new ChunkWorker({
          config,
          log,
          wrap: (processor) => async (job) => {
            most = Math.max(most, ++inFlight);
            try {
              await new Promise((r) => setTimeout(r, 30)); // long enough for the other slots to ask
              return await processor(job);
            } finally {
              inFlight--;
            }
          },
        }),
    );
    const redis = createRedis(config);
    const queue = openChunkQueue(config, redis);
    const { client, db } = await openDb(env);
    try {
      await Promise.all(workers.map((w) => w.waitUntilReady()));
      expect(await queue.getGlobalConcurrency()).to.equal(1);
      const file = join(dir, 'pinned.csv');
      const expected = await generate(file, 2000, 5);
      const r = await run(SCRIPTS.enqueue, [file, '--chunk-size', '100', '--wait', '--json'], env);
      expect(r.code, r.stderr).to.equal(0);
      await expectExactLoad(db, JSON.parse(r.stdout) as LoadReport, expected, 20);
      expect(most, 'chunks in flight at once').to.equal(1);
    } finally {
      await Promise.all(workers.map((w) => w.close(5000)));
      await queue.close();
      redis.disconnect();
      await client.close();
    }
  });

  describe('adaptive (auto)', function () {
    const env = isolatedEnv('gcauto');
    /** Two workers on two hosts: each its own Redis connection and queue object. */
    let hosts: { redis: RedisClient; queue: ChunkQueue; limit: GlobalConcurrency }[];

    before(async () => {
      // (read here: the services' addresses are set by the root hooks)
      const config = loadConfig({ ...process.env, ...env });
      hosts = [1, 2].map(() => {
        const redis = createRedis(config);
        const queue = openChunkQueue(config, redis);
        return { redis, queue, limit: new GlobalConcurrency(queue, redis, 'auto', log) };
      });
      for (const h of hosts) await h.limit.start();
    });
    after(async () => {
      for (const h of hosts) {
        await h.queue.close();
        h.redis.disconnect();
      }
    });

    /** Reports `n` chunks of 1,000 rows taking `msPerRow` each, alternately from both hosts. */
    async function chunks(n: number, msPerRow: number) {
      for (let i = 0; i < n; i++) await hosts[i % 2]!.limit.sample(msPerRow * 1000, 1000);
    }

    it('starts at 2 on every host, grows while the time per row stays flat, and halves when it doubles', async function () {
      const [a, b] = hosts as [(typeof hosts)[0], (typeof hosts)[0]];
      expect([a.limit.limit, b.limit.limit, await a.queue.getGlobalConcurrency()]).to.deep.equal([2, 2, 2]);

      await chunks(30, 0.2); // a store that serves more writers without slowing down
      const grown = await a.queue.getGlobalConcurrency();
      expect(grown, 'grown').to.be.greaterThan(4);
      expect(grown, 'the last host to change it applied the shared value').to.be.oneOf([a.limit.limit, b.limit.limit]);

      await chunks(grown! * 2, 0.5); // the time per row more than doubles: a congested store
      const cut = (await a.queue.getGlobalConcurrency())!;
      expect(cut, 'cut').to.be.at.most(Math.floor(grown! / 2));

      const history = await readLimitHistory(a.queue, a.redis);
      expect(history[0]!.limit, 'history starts at the initial limit').to.equal(2);
      expect(history.at(-1)!.limit).to.equal(cut);
      expect(history.map((h) => h.limit)).to.include(grown);
    });

    it('settles at 1 or 2 on a store whose time per row doubles with a second chunk in flight', async function () {
      const [a] = hosts as [(typeof hosts)[0]];
      await chunks(30, 0.2); // grown first, as on a quiet store
      // Then a store that serializes writes: time per row proportional to the chunks in flight.
      const seen: number[] = [];
      for (let i = 0; i < 60; i++) {
        const inFlight = (await a.queue.getGlobalConcurrency())!;
        seen.push(inFlight);
        await hosts[i % 2]!.limit.sample(0.2 * inFlight * 1000, 1000);
      }
      expect(seen[0], 'grown').to.be.greaterThan(4);
      for (const limit of seen.slice(20)) expect(limit).to.be.oneOf([1, 2]);
    });

    it('records a switch to a pinned limit and back to auto, which the dashboard tells apart', async function () {
      const [a] = hosts as [(typeof hosts)[0]];
      const adapting = await readConcurrency(a.queue, a.redis);
      expect(adapting.pinned, 'adapting').to.equal(null);

      await new GlobalConcurrency(a.queue, a.redis, 3, log).start(); // a worker started with GLOBAL_CONCURRENCY=3
      const pinned = await readConcurrency(a.queue, a.redis);
      expect(pinned).to.include({ limit: 3, pinned: 3 });
      expect(pinned.history.at(-1)!.limit, 'the switch is on the chart').to.equal(3);

      await new GlobalConcurrency(a.queue, a.redis, 'auto', log).start(); // then one with auto again
      const back = await readConcurrency(a.queue, a.redis);
      expect(back.pinned, 'adapting again').to.equal(null);
      expect(back.limit, 'the adaptive limit as it was').to.equal(adapting.limit);
      expect(back.history.at(-1)!.limit).to.equal(adapting.limit);
      expect(back.history).to.have.length(pinned.history.length + 1);
    });
  });
});
