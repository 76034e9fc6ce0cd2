import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import {
  type LoadReport,
  CHUNK_JOB_NAME,
  chunkJobId,
  chunkJobOptions,
  type ChunkJobData,
  type Store,
} from '@hcingest/shared';
import { loadProducerConfig } from '@hcingest/producer';
import { chunk, newLoad, row, writerStore } from '../harness/chunks.js';
import { isolatedEnv, run, SCRIPTS, startWorker, waitUntil, type WorkerProcess } from '../harness/processes.js';

interface Listed {
  loadId: string;
  chunk: number;
  attempts: number;
  error: string;
}

/**
 * Chunk jobs that can never succeed, put on the queue directly with BullMQ: they must fail at
 * once (BullMQ's UnrecoverableError) instead of spending every attempt, be recorded like any
 * failed chunk (`failed` lists them, `retry` replays them once the cause is fixed), and leave the
 * other chunks alone.
 */
describe('fault: chunk jobs that can never succeed', function () {
  let env: NodeJS.ProcessEnv;
  let queue: Queue;
  let store: Store;
  let worker: WorkerProcess;

  beforeEach(async function () {
    // Five attempts with a short backoff: a retried bad job would show attemptsMade > 1.
    env = isolatedEnv('unrecoverable', { JOB_ATTEMPTS: '5', JOB_BACKOFF_MS: '100' });
    queue = new Queue(env.QUEUE_NAME!, { connection: { url: process.env.REDIS_URL } });
    store = await writerStore(env);
    worker = await startWorker(env);
  });
  afterEach(async function () {
    await worker?.stop();
    await queue?.close();
    await store?.client.close();
  });

  const options = () => chunkJobOptions(loadProducerConfig({ ...process.env, ...env }));
  const enqueue = (loadId: string, index: number, data: unknown) =>
    queue.add(CHUNK_JOB_NAME, data, { ...options(), jobId: chunkJobId(loadId, index) });
  // Two admissions per chunk, of its own in every load (each row counts as inserted).
  const records = (loadId: string, index: number) => [
    row(`Ann Lee ${loadId} ${index}`, '100.50'),
    row(`Bo Chan ${loadId} ${index}`, '200.25'),
  ];
  const goodChunk = (loadId: string, index: number): ChunkJobData =>
    chunk(loadId, index, 1 + 2 * index, records(loadId, index));

  async function failedAtOnce(loadId: string, index: number): Promise<void> {
    const id = chunkJobId(loadId, index);
    await waitUntil(`job ${id} failed`, async () => (await queue.getJobState(id)) === 'failed');
    const job = await queue.getJob(id);
    expect(job?.attemptsMade, `${id}: attempts made`).to.equal(1);
    expect((await queue.getFailed()).map((j) => j.id)).to.include(id);
  }

  const report = async (loadId: string) =>
    JSON.parse((await run(SCRIPTS.status, [loadId, '--json'], env)).stdout) as LoadReport;

  async function listed(loadId?: string): Promise<Listed[]> {
    const r = await run(SCRIPTS.failed, [...(loadId ? [loadId] : []), '--json'], env);
    expect(r.code, r.stderr).to.equal(0);
    return JSON.parse(r.stdout) as Listed[];
  }

  async function retriedToCompletion(loadId: string, requeued: number[], rows: number): Promise<void> {
    const retried = await run(SCRIPTS.retry, [loadId, '--json'], env);
    expect(retried.code, retried.stderr).to.equal(0);
    expect(JSON.parse(retried.stdout)).to.deep.equal({ loadId, requeued, gone: [] });
    const done = await run(SCRIPTS.status, [loadId, '--wait', '--json'], env);
    expect(done.code, done.stderr).to.equal(0);
    const final = JSON.parse(done.stdout) as LoadReport;
    expect(final.state).to.equal('completed');
    expect(final.rowsProcessed).to.equal(rows);
    expect(final.inserted).to.equal(rows);
    expect(await listed(loadId)).to.deep.equal([]);
  }

  it('a payload that is no chunk job fails after one attempt, is listed, and completes once fixed and retried', async function () {
    const loadId = `Lbad${randomBytes(4).toString('hex')}`;
    await newLoad(store, loadId, 4, 8);
    // Chunk 1 as an older producer enqueued it (a lines array, no rows/firstLine); chunk 3 is no
    // chunk job at all (no load or chunk in it: the job id names them).
    const { rows: _rows, firstLine: _firstLine, ...old } = goodChunk(loadId, 1);
    await enqueue(loadId, 0, goodChunk(loadId, 0));
    await enqueue(loadId, 1, { ...old, lines: [4, 5] });
    await enqueue(loadId, 2, goodChunk(loadId, 2));
    await enqueue(loadId, 3, { text: 'not a chunk' });

    await failedAtOnce(loadId, 1);
    await failedAtOnce(loadId, 3);
    expect((await queue.getJob(chunkJobId(loadId, 1)))?.failedReason).to.match(/older producer version/);

    // The good chunks complete; the load ends failed with the two bad ones recorded.
    const failedLoad = (await waitUntil('the load to end', async () => {
      const r = await report(loadId);
      return r.state === 'failed' ? r : undefined;
    }))!;
    expect(failedLoad.chunks).to.include({ total: 4, completed: 2, failed: 2 });
    expect(failedLoad.rowsProcessed).to.equal(4);
    const failed = await listed(loadId);
    expect(failed.map((f) => [f.chunk, f.attempts])).to.deep.equal([
      [1, 1],
      [3, 1],
    ]);
    expect(failed[0]!.error).to.match(/^InvalidChunkJobError: chunk job has no rows\/firstLine: .*older producer/);
    expect(failed[1]!.error).to.equal(
      'InvalidChunkJobError: chunk job has an invalid loadId, chunk, firstRow, header, firstLine, rows',
    );
    expect(worker.stderr()).to.include('"permanent":true');

    // Fixed (the payloads replaced by good ones), retry replays them and the load completes.
    for (const index of [1, 3])
      await (await queue.getJob(chunkJobId(loadId, index)))!.updateData(goodChunk(loadId, index));
    await retriedToCompletion(loadId, [1, 3], 8);
  });

  it('a chunk of a load that is not recorded fails after one attempt, is listed, and completes once the load exists', async function () {
    const ghost = `Lghost${randomBytes(4).toString('hex')}`;
    const good = `Lgood${randomBytes(4).toString('hex')}`;
    await newLoad(store, good, 2, 4);
    await enqueue(good, 0, goodChunk(good, 0));
    await enqueue(ghost, 0, goodChunk(ghost, 0));
    await enqueue(good, 1, goodChunk(good, 1));

    await failedAtOnce(ghost, 0);
    expect((await queue.getJob(chunkJobId(ghost, 0)))?.failedReason).to.equal(
      `load ${ghost} is not recorded in the loads collection`,
    );
    const [failed] = (await waitUntil('the failure to be recorded', async () => {
      const all = (await listed()).filter((f) => f.loadId === ghost);
      return all.length > 0 ? all : undefined;
    }))!;
    expect(failed).to.include({ loadId: ghost, chunk: 0, attempts: 1 });
    expect(failed!.error).to.equal(`UnknownLoadError: load ${ghost} is not recorded in the loads collection`);

    // The other load is not held up.
    const r = await run(SCRIPTS.status, [good, '--wait', '--json'], env);
    expect(r.code, r.stderr).to.equal(0);
    expect((JSON.parse(r.stdout) as LoadReport).chunks).to.include({ total: 2, completed: 2, failed: 0 });

    // Fixed (the load recorded, as a producer would have), retry replays the chunk.
    await newLoad(store, ghost, 1, 2);
    await retriedToCompletion(ghost, [0], 2);
  });
});
