import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import type { LoadReport } from '@hcingest/shared';
import { generate } from '../harness/expectations.js';
import { expectExactLoad } from '../harness/loadAssertions.js';
import { isolatedEnv, run, SCRIPTS, startWorker } from '../harness/processes.js';
import { parseMetrics, startDashboardProcess } from '../harness/dashboard.js';
import { clusterForTests } from '../harness/redisCluster.js';
import { freePort } from '../harness/services.js';
import { openDb } from '../harness/store.js';

describe('Redis Cluster: the queue on 3 masters and 3 replicas', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-cluster-'));
  let cluster: Awaited<ReturnType<typeof clusterForTests>>;

  before(async function () {
    this.timeout(120_000);
    cluster = await clusterForTests();
  });
  after(async () => {
    await cluster?.local?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads a file through workers on the cluster, exact, with every queue key on the cluster', async function () {
    const file = join(dir, 'cluster.csv');
    const expected = await generate(file, 5000, 31);
    const tag = `{hc${Date.now().toString(36)}}`;
    const env = isolatedEnv('cluster', {
      REDIS_CLUSTER_NODES: cluster.nodes,
      REDIS_URL: cluster.url,
      QUEUE_PREFIX: tag,
    });
    const workers = await Promise.all([1, 2].map(() => startWorker(env)));
    const { client, db } = await openDb(env);
    const redis = new Cluster(
      cluster.nodes.split(',').map((s) => ({ host: s.split(':')[0]!, port: Number(s.split(':')[1]) })),
      { redisOptions: { password: new URL(cluster.url).password || undefined } },
    );
    const single = new Redis(process.env.REDIS_URL!, { lazyConnect: true });
    try {
      const r = await run(SCRIPTS.enqueue, [file, '--chunk-size', '250', '--wait', '--json'], env, 150_000);
      expect(r.code, r.stderr).to.equal(0);
      const report = JSON.parse(r.stdout) as LoadReport;
      await expectExactLoad(db, report, expected, 20);

      // The queue lives on the cluster, in the slot of its hash tag, and not on REDIS_URL's server.
      const slot = Number(await redis.call('CLUSTER', 'KEYSLOT', tag));
      const keys = await Promise.all(redis.nodes('master').map((n) => n.keys(`${tag}:${env.QUEUE_NAME}:*`)));
      const onCluster = keys.flat();
      expect(onCluster.length, 'queue keys on the cluster').to.be.greaterThan(0);
      for (const key of onCluster) expect(Number(await redis.call('CLUSTER', 'KEYSLOT', key))).to.equal(slot);
      expect(await single.keys(`*${env.QUEUE_NAME}*`), 'nothing on the single Redis').to.deep.equal([]);
      // The adaptive chunk limit's state and history are among them, and BullMQ's limit is its value.
      const limiter = `${tag}:${env.QUEUE_NAME}:limiter`;
      expect(onCluster).to.include.members([limiter, `${limiter}:history`]);
      const limit = Number(await redis.hget(limiter, 'limit'));
      expect(limit).to.be.within(1, 64);
      expect(Number(await redis.hget(`${tag}:${env.QUEUE_NAME}:meta`, 'concurrency'))).to.equal(limit);

      const status = await run(SCRIPTS.status, [report.loadId, '--json'], env);
      expect(status.code, status.stderr).to.equal(0);
      const seen = JSON.parse(status.stdout) as LoadReport;
      expect(seen.state).to.equal('completed');
      expect([seen.rowsRead, seen.inserted, seen.rejected]).to.deep.equal([
        report.rowsRead,
        report.inserted,
        report.rejected,
      ]);
      expect(seen.chunks).to.deep.equal(report.chunks);

      // The dashboard on the cluster: ready, the load's report, and the queue's counts scraped.
      const dash = await startDashboardProcess(env);
      try {
        expect((await dash.get('/readyz', null)).status).to.equal(200);
        const page = await dash.get(`/api/loads/${report.loadId}`);
        expect(page.status).to.equal(200);
        expect(((await page.json()) as LoadReport).state).to.equal('completed');
        const scraped = parseMetrics(await (await dash.get('/metrics', null)).text());
        expect(scraped.get('hcingest_dashboard_backend_up{backend="redis"}')).to.equal(1);
        expect(scraped.get('hcingest_chunks_in_flight_limit')).to.be.within(1, 64);
        expect((await dash.get('/queues')).status).to.equal(200);
      } finally {
        await dash.stop();
      }
    } finally {
      redis.disconnect();
      single.disconnect();
      await client.close();
      await Promise.all(workers.map((w) => w.stop()));
    }
  });

  it('refuses to start on a cluster without a {hash tag} in QUEUE_PREFIX, saying what to set', async function () {
    const file = join(dir, 'refused.csv');
    await generate(file, 10, 32);
    const env = isolatedEnv('nohashtag', {
      REDIS_CLUSTER_NODES: cluster.nodes,
      REDIS_URL: cluster.url,
      QUEUE_PREFIX: 'bull',
    });
    for (const [script, args] of [
      [SCRIPTS.enqueue, [file]],
      [SCRIPTS.worker, []],
      [SCRIPTS.status, ['L0123456789abcdef']],
      [SCRIPTS.dashboard, []],
    ] as const) {
      const r = await run(script, [...args], env, 30_000);
      expect(r.code, `${script}: ${r.stderr}`).to.equal(2);
      expect(r.stderr).to.include('QUEUE_PREFIX').and.include('{hcingest}').and.include('REDIS_CLUSTER_NODES');
      expect(r.stderr).to.not.include(new URL(cluster.url).password || '\u0000');
    }
  });

  it('gives up within CONNECT_TIMEOUT_MS naming the cluster seeds when no seed answers', async function () {
    const file = join(dir, 'unreachable.csv');
    await generate(file, 10, 34);
    const dead = `127.0.0.1:${await freePort()},127.0.0.1:${await freePort()}`;
    const env = isolatedEnv('deadcluster', {
      REDIS_CLUSTER_NODES: dead,
      REDIS_URL: cluster.url,
      QUEUE_PREFIX: '{dead}',
      CONNECT_TIMEOUT_MS: '2000',
    });
    const r = await run(SCRIPTS.enqueue, [file], env, 30_000);
    expect(r.code, r.stderr).to.equal(1);
    expect(r.stderr).to.include(`Redis Cluster at ${dead.replace(',', ', ')} (REDIS_CLUSTER_NODES) did not answer`);
    expect(r.stderr).to.not.include(new URL(cluster.url).password || '\u0000');

    // A seed that answers but is no cluster node (a plain Redis): the reason is named.
    const plain = new URL(process.env.REDIS_URL!);
    // Its password, not its database: a cluster has only database 0 (compose's test Redis URL names 15).
    const plainUrl = new URL(plain.href);
    plainUrl.pathname = '';
    const notCluster = await run(
      SCRIPTS.enqueue,
      [file],
      { ...env, REDIS_CLUSTER_NODES: `${plain.hostname}:${plain.port}`, REDIS_URL: plainUrl.href },
      30_000,
    );
    expect(notCluster.code, notCluster.stderr).to.equal(1);
    expect(notCluster.stderr)
      .to.include('(REDIS_CLUSTER_NODES) did not answer')
      .and.include('cluster support disabled');
  });
});
