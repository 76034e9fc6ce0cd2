import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueEvents } from 'bullmq';
import type { LoadReport } from '@hcingest/shared';
import { generate } from '../harness/expectations.js';
import { expectExactLoad } from '../harness/loadAssertions.js';
import {
  isolatedEnv,
  readyStatus,
  run,
  SCRIPTS,
  startProcess,
  startWorker,
  waitUntil,
  within,
  type WorkerProcess,
} from '../harness/processes.js';
import { freePort } from '../harness/services.js';
import { openDb } from '../harness/store.js';
import { hostPort, ToxiproxyServer, viaProxies, type Proxy } from '../harness/toxiproxy.js';

/** Chunks a worker logged as started (one entry per attempt), from its stderr. */
function chunksStarted(w: WorkerProcess): number[] {
  return [...w.stderr().matchAll(/"chunk":(\d+),"attempt":\d+,"msg":"chunk started"/g)].map((m) => Number(m[1]));
}
function chunksDone(w: WorkerProcess): number[] {
  return [...w.stderr().matchAll(/"chunk":(\d+),"attempt":\d+,"ms":\d+[^\n]*"msg":"chunk done"/g)].map((m) =>
    Number(m[1]),
  );
}
/** The first chunk a worker starts, once it has. */
async function firstChunkStarted(w: WorkerProcess): Promise<number> {
  await waitUntil('the worker to start a chunk', () => chunksStarted(w).length > 0, 60_000);
  return chunksStarted(w)[0]!;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const NO_STACK = /\n\s+at [^\n]+:\d+:\d+/;

describe('fault: network partitions between one process and the services (Toxiproxy)', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-partition-'));
  let toxiproxy: ToxiproxyServer;
  let n = 0;
  /** Fresh proxies to this run's Redis and MongoDB. */
  const proxies = async (): Promise<{ redis: Proxy; mongo: Proxy }> => {
    n++;
    return {
      redis: await toxiproxy.proxy(`redis${n}`, hostPort(process.env.REDIS_URL!)),
      mongo: await toxiproxy.proxy(`mongo${n}`, hostPort(process.env.MONGO_URL!)),
    };
  };

  before(async () => {
    toxiproxy = await ToxiproxyServer.start();
  });
  after(async () => {
    await toxiproxy?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('a worker cut from Redis or from MongoDB', function () {
    it('a worker cut from Redis mid-chunk (still reaching MongoDB): its chunk is taken over, its late writes are harmless', async function () {
      const file = join(dir, 'redis-cut.csv');
      const expected = await generate(file, 4000, 31);
      const env = isolatedEnv('partredis', {
        LOCK_DURATION_MS: '2000',
        STALLED_INTERVAL_MS: '1000',
        WORKER_CONCURRENCY: '1',
      });
      const link = await proxies();
      // The cut worker: Redis through the proxy, MongoDB direct; each chunk takes 8 s more.
      const cutOff = await startWorker(
        await viaProxies(SCRIPTS.worker, { ...env, FAULT_CHUNK_DELAY_MS: '8000' }, { redis: link.redis }),
      );
      const workers = [cutOff];
      const events = new QueueEvents(env.QUEUE_NAME!, { connection: { url: process.env.REDIS_URL! } });
      const stalled: string[] = [];
      events.on('stalled', ({ jobId }) => stalled.push(jobId));
      await events.waitUntilReady();
      const { client, db } = await openDb(env);
      try {
        const load = await startProcess(SCRIPTS.enqueue, [file, '--chunk-size', '500', '--wait', '--json'], env);
        const victim = await firstChunkStarted(cutOff);
        await link.redis.cut();

        // A second worker, connected directly, takes the stalled chunk over and does the rest.
        const healthy = await startWorker(env);
        workers.push(healthy);
        const r = await within('the load to complete without the cut worker', load.done, 120_000);
        expect(r.code, r.stderr).to.equal(0);
        const report = JSON.parse(r.stdout) as LoadReport;
        expect(stalled, 'the chunk was detected as stalled').to.include(`${report.loadId}.${victim}`);
        expect(chunksStarted(healthy), 'the healthy worker processed the stalled chunk').to.include(victim);
        expect(chunksStarted(healthy)).to.have.length(8);

        // The cut worker ends its chunk anyway: its writes reach MongoDB after the other worker's.
        await waitUntil('the cut worker to finish its late writes', () => chunksDone(cutOff).includes(victim), 60_000);
        expect(chunksDone(cutOff)).to.deep.equal([victim]);
        // ...found already accounted (by the other worker): not counted twice.
        expect(cutOff.stderr()).to.match(new RegExp(`"chunk":${victim},[^\n]*"accounted":false,"msg":"chunk done"`));
        expect(cutOff.proc.exitCode, 'the cut worker is still running').to.equal(null);
        await link.redis.heal();
        // Back in touch with Redis, it has lost the job: its lock is gone and its completion refused.
        const jobId = `${report.loadId}.${victim}`;
        await waitUntil('the cut worker to reconnect and be refused', () =>
          cutOff.stderr().includes(`Missing key for job ${jobId}. moveToFinished`),
        );
        expect(cutOff.stderr()).to.include(`could not renew lock for job ${jobId}`);
        expect(cutOff.proc.exitCode, 'the cut worker is still running').to.equal(null);
        await expectExactLoad(db, report, expected, 8);
        expect(await db.collection('chunk_results').countDocuments({ loadId: report.loadId, chunk: victim })).to.equal(
          1,
        );
      } finally {
        await client.close();
        await events.close();
        await Promise.all(workers.map((w) => w.stop()));
      }
    });

    it('a worker cut from MongoDB for 10 s (the only worker): it stays up, retries, and the load ends exact', async function () {
      const file = join(dir, 'mongo-cut.csv');
      const expected = await generate(file, 5000, 32);
      const env = isolatedEnv('partmongo', { JOB_ATTEMPTS: '30', JOB_BACKOFF_MS: '500', FAULT_CHUNK_DELAY_MS: '100' });
      const link = await proxies();
      const port = await freePort();
      const worker = await startWorker(
        // Server selection gives up after 2 s (not 10): attempts fail during the cut, for BullMQ to retry.
        await viaProxies(
          SCRIPTS.worker,
          { ...env, WORKER_HTTP_PORT: String(port), CONNECT_TIMEOUT_MS: '2000' },
          { mongo: link.mongo },
        ),
      );
      const { client, db } = await openDb(env);
      try {
        const load = await startProcess(SCRIPTS.enqueue, [file, '--chunk-size', '250', '--wait', '--json'], env);
        await waitUntil(
          'a few chunks accounted',
          async () => (await db.collection('chunk_results').countDocuments()) >= 3,
        );

        await link.mongo.cut();
        const cutAt = Date.now();
        await waitUntil(
          'readiness to report MongoDB unreachable',
          async () => (await readyStatus(port)) === 503,
          15_000,
        );
        const during = await db.collection('chunk_results').countDocuments();
        await sleep(Math.max(0, 10_000 - (Date.now() - cutAt)));
        expect(await db.collection('chunk_results').countDocuments(), 'nothing accounted while cut').to.equal(during);
        expect(worker.proc.exitCode, 'the worker stays up while cut').to.equal(null);
        await link.mongo.heal();

        const r = await within('the load to complete after the cut', load.done, 240_000);
        expect(r.code, r.stderr).to.equal(0);
        expect(worker.proc.exitCode, 'the worker survived the cut').to.equal(null);
        expect(await readyStatus(port)).to.equal(200);
        // Chunks failed while cut and were retried by the same worker.
        expect(worker.stderr(), 'attempts failed on MongoDB').to.match(
          /"error":"Mongo\w*Error[^\n]*"msg":"chunk attempt failed"/,
        );
        expect(worker.stderr(), 'some chunk was attempted again').to.match(/"attempt":[2-9]\d*,"msg":"chunk started"/);
        await expectExactLoad(db, JSON.parse(r.stdout) as LoadReport, expected, 20);
      } finally {
        await client.close();
        await worker.stop();
      }
    });
  });

  describe('the producer cut from Redis', function () {
    it('the producer cut from Redis mid-enqueue waits, stops cleanly on SIGTERM, and the same command resumes exact', async function () {
      const file = join(dir, 'producer-cut.csv');
      const expected = await generate(file, 10_000, 33);
      const env = isolatedEnv('partprod', { QUEUE_MAX_PENDING: '2' });
      const args = [file, '--chunk-size', '250', '--wait', '--json'];
      const link = await proxies();
      const worker = await startWorker({ ...env, FAULT_CHUNK_DELAY_MS: '300' });
      const { client, db } = await openDb(env);
      try {
        const producer = await startProcess(
          SCRIPTS.enqueue,
          args,
          await viaProxies(SCRIPTS.enqueue, { ...env, LOG_LEVEL: 'info' }, { redis: link.redis }),
        );
        await waitUntil(
          'a few chunks accounted',
          async () => (await db.collection('chunk_results').countDocuments()) >= 2,
        );
        expect(producer.stderr(), 'the producer is still enqueueing').to.not.include('"file enqueued"');
        await link.redis.cut();

        // It waits for Redis (as through a restart), saying so, rather than failing or ending.
        await waitUntil('the producer to report Redis unreachable', () =>
          /Redis connection error/.test(producer.stderr()),
        );
        await sleep(5000);
        expect(producer.proc.exitCode, 'the producer waits for Redis').to.equal(null);
        producer.proc.kill('SIGTERM');
        const cut = await within('the producer to stop after SIGTERM', producer.done, 60_000);
        expect(cut.code, cut.stderr).to.equal(130);
        expect(cut.stderr).to.match(
          /"error":"Error: connect ECONNREFUSED [^\n]*"msg":"Redis connection error \(retrying\)"/,
        );
        expect(cut.stderr).to.include('stop requested');
        expect(cut.stderr, 'no stack trace').to.not.match(NO_STACK);
        expect(cut.stdout).to.not.include('"state":"completed"');

        // The same command, with a direct connection, resumes the same load.
        const again = await run(SCRIPTS.enqueue, args, env, 180_000);
        expect(again.code, again.stderr).to.equal(0);
        expect(again.stderr).to.match(/resumed: \d+ of 40 chunks were missing and are enqueued again/);
        await expectExactLoad(db, JSON.parse(again.stdout) as LoadReport, expected, 40);
      } finally {
        await client.close();
        await worker.stop();
      }
    });
  });

  describe('connections that hang silently', function () {
    it('a worker whose connections hang silently: timeouts end its attempts, a healthy worker finishes, it recovers and stops in time', async function () {
      const file = join(dir, 'hang.csv');
      const expected = await generate(file, 4000, 34);
      const grace = 5000;
      const env = isolatedEnv('parthang', {
        LOCK_DURATION_MS: '2000',
        STALLED_INTERVAL_MS: '1000',
        WORKER_CONCURRENCY: '1',
        JOB_ATTEMPTS: '30',
        SHUTDOWN_GRACE_MS: String(grace),
      });
      const link = await proxies();
      const port = await freePort();
      const hung = await startWorker(
        await viaProxies(
          SCRIPTS.worker,
          {
            ...env,
            FAULT_CHUNK_DELAY_MS: '3000',
            WORKER_HTTP_PORT: String(port),
            MONGO_SOCKET_TIMEOUT_MS: '3000',
            REDIS_SOCKET_TIMEOUT_MS: '15000',
          },
          { redis: link.redis, mongo: link.mongo },
        ),
      );
      const workers = [hung];
      const { client, db } = await openDb(env);
      try {
        const load = await startProcess(SCRIPTS.enqueue, [file, '--chunk-size', '500', '--wait', '--json'], env);
        const victim = await firstChunkStarted(hung);
        await link.redis.hang();
        await link.mongo.hang();

        const healthy = await startWorker(env);
        workers.push(healthy);
        const r = await within('the load to complete while the worker hangs', load.done, 120_000);
        expect(r.code, r.stderr).to.equal(0);
        expect(chunksStarted(healthy), 'the healthy worker took the hung chunk over').to.include(victim);
        expect(hung.proc.exitCode, 'the hung worker is still running').to.equal(null);
        expect(chunksDone(hung), 'the hung worker completed nothing').to.deep.equal([]);

        // Its connections time out instead of waiting forever (MONGO_SOCKET_TIMEOUT_MS, REDIS_SOCKET_TIMEOUT_MS).
        await waitUntil(
          'the hung MongoDB write to time out',
          // The driver's timeout error, or the bulk write error that wraps it when a write is the first to wait.
          () => /"error":"Mongo\w*Error[^\n]*timed out","msg":"chunk attempt failed"/.test(hung.stderr()),
          120_000,
        );
        await waitUntil('the hung Redis connection to time out', () => /Socket timeout/.test(hung.stderr()), 120_000);
        expect(await readyStatus(port), 'not ready while hung').to.equal(503);

        await link.redis.unhang();
        await link.mongo.unhang();
        await waitUntil('the worker to be ready again', async () => (await readyStatus(port)) === 200, 120_000);
        expect(hung.proc.exitCode, 'the worker recovered without restarting').to.equal(null);

        const code = await within('SIGTERM to stop the worker', hung.stop('SIGTERM'), grace + 15_000);
        expect(code, hung.stderr()).to.equal(0);
        expect(hung.stderr()).to.include('"worker stopped"');
        await expectExactLoad(db, JSON.parse(r.stdout) as LoadReport, expected, 8);
      } finally {
        await client.close();
        await Promise.all(workers.map((w) => w.stop()));
      }
    });

    it('a worker stopped (SIGTERM) while its connections still hang silently exits within its grace period', async function () {
      const grace = 5000;
      const env = isolatedEnv('parthangstop', { SHUTDOWN_GRACE_MS: String(grace), WORKER_CONCURRENCY: '1' });
      const file = join(dir, 'hang-stop.csv');
      const expected = await generate(file, 2000, 35);
      const link = await proxies();
      const hung = await startWorker(
        await viaProxies(
          SCRIPTS.worker,
          { ...env, FAULT_CHUNK_DELAY_MS: '2000', LOCK_DURATION_MS: '2000', STALLED_INTERVAL_MS: '1000' },
          { redis: link.redis, mongo: link.mongo },
        ),
      );
      const workers = [hung];
      const { client, db } = await openDb(env);
      try {
        const load = await startProcess(SCRIPTS.enqueue, [file, '--chunk-size', '500', '--wait', '--json'], env);
        const victim = await firstChunkStarted(hung);
        await link.redis.hang();
        await link.mongo.hang();
        // Stopped mid-chunk, unable to reach either service: the grace period ends the wait.
        const code = await within('SIGTERM to stop the hung worker', hung.stop('SIGTERM'), grace + 30_000);
        expect(code, hung.stderr()).to.equal(0);
        expect(hung.stderr()).to.include('grace period over: closing with chunks in flight');
        // Closing its MongoDB client would wait on the silent connection: it is left behind, bounded.
        expect(hung.stderr()).to.include('MongoDB did not answer while closing: leaving the connection');
        expect(hung.stderr()).to.include('"worker stopped"');

        const healthy = await startWorker({ ...env, LOCK_DURATION_MS: '2000', STALLED_INTERVAL_MS: '1000' });
        workers.push(healthy);
        const r = await within('the load to complete', load.done, 120_000);
        expect(r.code, r.stderr).to.equal(0);
        expect(chunksStarted(healthy)).to.include(victim);
        await expectExactLoad(db, JSON.parse(r.stdout) as LoadReport, expected, 4);
        await link.redis.unhang();
        await link.mongo.unhang();
      } finally {
        await client.close();
        await Promise.all(workers.map((w) => w.stop()));
      }
    });
  });
});
