import { expect } from 'chai';
import { Redis } from 'ioredis';
import { JobSender } from '@hcingest/producer';
import { openChunkQueue, loadConfig, type ChunkJobData, type ChunkQueue } from '@hcingest/shared';
import { isolatedEnv } from '../harness/processes.js';

/** A chunk job's data for chunk `i` of load `L` (the sender does not look inside). */
const data = (i: number): ChunkJobData => ({
  loadId: 'L',
  chunk: i,
  firstRow: i + 1,
  firstLine: i + 2,
  rows: 1,
  header: ['Name'],
  text: `r${i}`,
});

describe('producer/JobSender: pipelined adds with backpressure, on a real Redis', function () {
  let redis: Redis;
  let queue: ChunkQueue;

  beforeEach(() => {
    const config = loadConfig({ ...process.env, ...isolatedEnv('sender') });
    redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
    queue = openChunkQueue(config, redis);
  });
  afterEach(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
  });

  it('sends every job, in order, with its id, and counts what Redis acknowledged', async () => {
    const sender = new JobSender(queue, { maxPending: 100, pipeline: 8, jobOptions: { attempts: 2 } });
    for (let i = 0; i < 30; i++) expect(await sender.send(`L.${i}`, data(i))).to.equal(true);
    await sender.flush();
    expect(sender.sent).to.equal(30);
    const waiting = await queue.getWaiting(0, -1);
    expect(waiting.map((j) => j.id)).to.deep.equal(Array.from({ length: 30 }, (_, i) => `L.${i}`));
    expect(waiting[0]!.opts.attempts).to.equal(2);
  });

  it('never lets more than maxPending jobs wait, and stops waiting for room when told', async () => {
    let stop = false;
    let ticks = 0;
    const sender = new JobSender(queue, {
      maxPending: 5,
      pipeline: 3,
      jobOptions: {},
      shouldStop: () => stop,
      onTick: async () => {
        ticks++;
        // Nobody consumes: once the window is full, the sender waits; tell it to stop.
        if ((await queue.getWaitingCount()) >= 5) stop = true;
      },
    });
    const results: boolean[] = [];
    for (let i = 0; i < 8 && !stop; i++) results.push(await sender.send(`L.${i}`, data(i)));
    await sender.flush();
    expect(results.filter(Boolean)).to.have.length(5);
    expect(await queue.getWaitingCount()).to.equal(5);
    expect(sender.sent).to.equal(5);
    expect(ticks).to.be.greaterThan(0);
  });

  it('resumes when a consumer makes room', async () => {
    const sender = new JobSender(queue, { maxPending: 2, pipeline: 2, jobOptions: {} });
    // Drain the queue from the side while the sender is blocked on a full window.
    const drain = setInterval(() => void queue.drain().catch(() => undefined), 20);
    try {
      for (let i = 0; i < 12; i++) expect(await sender.send(`L.${i}`, data(i))).to.equal(true);
      await sender.flush();
    } finally {
      clearInterval(drain);
    }
    expect(sender.sent).to.equal(12);
  });
});
