import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'bullmq';
import {
  CHUNK_JOB_NAME,
  createRedis,
  loadConfig,
  openChunkQueue,
  queueBacklog,
  type ChunkQueue,
  type RedisClient,
} from '@hcingest/shared';
import { generate } from '../harness/expectations.js';
import { isolatedEnv, run, SCRIPTS } from '../harness/processes.js';
import { startDashboardProcess } from '../harness/dashboard.js';
import { clusterForTests } from '../harness/redisCluster.js';
import { backlogTrigger, valueAt } from '../harness/scaledObject.js';

const CHUNKS = 10;
const ROWS = 2000;

/**
 * The figure the workers' ScaledObject scales on, read as KEDA reads it (the trigger's
 * valueLocation in the dashboard's /metrics), against the chunk jobs in the queue, with no worker
 * running: waiting, prioritized and delayed by a retry's backoff counted; an active chunk and the
 * mirror load's archive job not.
 */
describe('the chunk backlog the workers are autoscaled on', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-backlog-'));
  let file: string;

  before(async () => {
    file = join(dir, 'backlog.csv');
    await generate(file, ROWS, 7);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the ScaledObject reads hcingest_chunk_backlog from the dashboard in the Prometheus format', () => {
    const t = backlogTrigger();
    expect(t.format).to.equal('prometheus');
    expect(new URL(t.url).pathname).to.equal('/metrics');
    expect(t.valueLocation).to.equal('hcingest_chunk_backlog');
  });

  it('on one Redis: equals the chunk jobs waiting, prioritized and delayed', async function () {
    await expectBacklogExact(isolatedEnv('backlog'), file);
  });

  describe('on a Redis Cluster, with the hash-tagged prefix', function () {
    let cluster: Awaited<ReturnType<typeof clusterForTests>>;
    before(async function () {
      this.timeout(120_000);
      cluster = await clusterForTests();
    });
    after(async () => cluster?.local?.stop());

    it('equals the chunk jobs waiting, prioritized and delayed, every key in the tag slot', async function () {
      const tag = `{hcb${Date.now().toString(36)}}`;
      const env = isolatedEnv('backlogc', {
        REDIS_CLUSTER_NODES: cluster.nodes,
        REDIS_URL: cluster.url,
        QUEUE_PREFIX: tag,
      });
      await expectBacklogExact(env, file, async (redis, queueName) => {
        const slot = Number(await redis.call('CLUSTER', 'KEYSLOT', tag));
        for (const state of ['wait', 'prioritized', 'delayed', 'active']) {
          const key = `${tag}:${queueName}:${state}`;
          expect(Number(await redis.call('CLUSTER', 'KEYSLOT', key)), key).to.equal(slot);
          expect(await redis.exists(key), key).to.equal(1);
        }
      });
    });
  });
});

/**
 * Enqueues a mirror load of CHUNKS chunks with no worker, then, as a worker would: takes one chunk
 * and fails it (retry backoff: delayed), takes one and holds it (active), and gives one a priority
 * (prioritized). The dashboard's figure must equal the chunk jobs of the three waiting states.
 */
async function expectBacklogExact(
  env: NodeJS.ProcessEnv,
  file: string,
  checkKeys?: (redis: RedisClient, queueName: string) => Promise<void>,
): Promise<void> {
  // A backoff far longer than the test: the failed chunk stays delayed while it runs.
  const testEnv = { ...env, JOB_BACKOFF_MS: '600000' };
  const r = await run(
    SCRIPTS.enqueue,
    [file, '--mode', 'mirror', '--chunk-size', String(ROWS / CHUNKS), '--json'],
    testEnv,
  );
  expect(r.code, r.stderr).to.equal(0);
  const config = loadConfig({ ...process.env, ...testEnv });
  const redis = createRedis(config);
  const queue = openChunkQueue(config, redis);
  const worker = new Worker(config.QUEUE_NAME, null, { connection: redis, prefix: config.QUEUE_PREFIX });
  try {
    await actAsWorker(queue, worker);
    const counts = await queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active');
    const expected = await chunkJobsIn(queue, ['waiting', 'prioritized', 'delayed']);
    // Every state is there: the figure is tested on each, and on what it leaves out.
    expect(counts).to.deep.equal({ waiting: CHUNKS - 3 + 1, prioritized: 1, delayed: 1, active: 1 });
    expect(expected).to.equal(CHUNKS - 1);
    expect(await queueBacklog(queue)).to.deep.equal({ chunks: CHUNKS - 1, other: 1 });
    await checkKeys?.(redis, config.QUEUE_NAME);

    const dash = await startDashboardProcess(testEnv);
    try {
      const res = await dash.get('/metrics', null);
      expect(res.status).to.equal(200);
      const body = await res.text();
      expect(valueAt(body, backlogTrigger().valueLocation)).to.equal(expected);
      // What a list scaler on <prefix>:<queue>:wait would read, and the sum of the queue gauge
      // over the three states, both differ from it here.
      const jobs = (state: string) => valueAt(body, `hcingest_queue_jobs{state="${state}"}`);
      expect(jobs('waiting')).to.equal(CHUNKS - 3 + 1);
      expect(jobs('waiting') + jobs('prioritized') + jobs('delayed')).to.equal(expected + 1);
    } finally {
      await dash.stop();
    }
  } finally {
    await worker.close(true);
    await queue.close();
    redis.disconnect();
  }
}

/** One chunk failed with attempts left (delayed by its backoff), one held (active), one prioritized. */
async function actAsWorker(queue: ChunkQueue, worker: Worker): Promise<void> {
  const token = 'backlog-test';
  const failed = await worker.getNextJob(token);
  expect(failed?.name).to.equal(CHUNK_JOB_NAME);
  await failed!.moveToFailed(new Error('store unreachable'), token, false);
  expect(await failed!.getState()).to.equal('delayed');
  const held = await worker.getNextJob(token);
  expect(held?.name).to.equal(CHUNK_JOB_NAME);
  const waiting = await queue.getWaiting();
  const chunk = waiting.find((j) => j.name === CHUNK_JOB_NAME)!;
  await chunk.changePriority({ priority: 1 });
  expect(await chunk.getState()).to.equal('prioritized');
}

/** Chunk jobs in those states, told apart by the job's name (the figure goes by id). */
async function chunkJobsIn(queue: ChunkQueue, states: ('waiting' | 'prioritized' | 'delayed')[]): Promise<number> {
  const jobs = await queue.getJobs(states, 0, -1);
  return jobs.filter((j) => j.name === CHUNK_JOB_NAME).length;
}
