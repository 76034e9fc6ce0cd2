import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { LoadReport } from '@hcingest/shared';
import { generate } from '../harness/expectations.js';
import { expectExactLoadIn } from '../harness/loadAssertions.js';
import { isolatedEnv, run, SCRIPTS, startProcess, startWorker, waitUntil, within } from '../harness/processes.js';

function enqueuedLine(stderr: string): { chunksEnqueued: number; chunksSkipped: number; chunksTotal: number } {
  const line = stderr.split('\n').find((l) => l.includes('"file enqueued"'));
  if (!line) throw new Error(`no "file enqueued" line in:\n${stderr}`);
  return JSON.parse(line) as { chunksEnqueued: number; chunksSkipped: number; chunksTotal: number };
}

describe('fault: the producer crashes, stops, or its chunks vanish', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-resume-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('resumes a load after the producer was killed mid-enqueue, enqueueing only missing chunks', async function () {
    const file = join(dir, 'killed.csv');
    const expected = await generate(file, 5000, 24);
    const env = isolatedEnv('pkill', { QUEUE_MAX_PENDING: '3', LOG_LEVEL: 'info' });
    // No workers yet: the producer fills the window of 3 and waits; kill it there.
    const first = await startProcess(SCRIPTS.enqueue, [file, '--chunk-size', '250'], env);
    const queue = new Queue(env.QUEUE_NAME!, { connection: { url: process.env.REDIS_URL } });
    try {
      await waitUntil('3 chunks waiting', async () => (await queue.getWaitingCount()) >= 3, 30_000);
      first.proc.kill('SIGKILL');
      await first.done;
      const workers = await Promise.all([1, 2].map(() => startWorker(env)));
      try {
        const r = await run(SCRIPTS.enqueue, [file, '--chunk-size', '250', '--wait', '--json'], env);
        expect(r.code, r.stderr).to.equal(0);
        const counts = enqueuedLine(r.stderr);
        expect(counts.chunksTotal).to.equal(20);
        expect(counts.chunksSkipped, 'chunks queued by the killed run are not enqueued again').to.be.at.least(3);
        expect(counts.chunksEnqueued + counts.chunksSkipped).to.equal(20);
        await expectExactLoadIn(env, JSON.parse(r.stdout) as LoadReport, expected, 20);
      } finally {
        await Promise.all(workers.map((w) => w.stop()));
      }
    } finally {
      await queue.close();
    }
  });

  it('stops after the current chunk on SIGTERM, leaving a resumable load', async function () {
    const file = join(dir, 'term.csv');
    const expected = await generate(file, 3000, 25);
    const env = isolatedEnv('pterm', { QUEUE_MAX_PENDING: '2' });
    const first = await startProcess(SCRIPTS.enqueue, [file, '--chunk-size', '250', '--json'], env);
    const queue = new Queue(env.QUEUE_NAME!, { connection: { url: process.env.REDIS_URL } });
    try {
      await waitUntil('2 chunks waiting', async () => (await queue.getWaitingCount()) >= 2, 30_000);
      first.proc.kill('SIGTERM');
      const stopped = await within('the producer to stop on SIGTERM', first.done, 10_000);
      expect(stopped.code).to.equal(130);
      const out = JSON.parse(stopped.stdout) as { loadId: string; state: string; interrupted: boolean };
      expect(out).to.include({ state: 'running', interrupted: true });

      const worker = await startWorker(env);
      try {
        const r = await run(SCRIPTS.enqueue, [file, '--chunk-size', '250', '--wait', '--json'], env);
        expect(r.code, r.stderr).to.equal(0);
        const report = JSON.parse(r.stdout) as LoadReport;
        expect(report.loadId).to.equal(out.loadId);
        await expectExactLoadIn(env, report, expected, 12);
      } finally {
        await worker.stop();
      }
    } finally {
      await queue.close();
    }
  });

  it('names chunks lost from Redis instead of waiting forever; enqueue again completes the load', async function () {
    const file = join(dir, 'lost.csv');
    const expected = await generate(file, 3000, 26);
    const env = isolatedEnv('plost');
    const first = await run(SCRIPTS.enqueue, [file, '--chunk-size', '250', '--json'], env);
    expect(first.code, first.stderr).to.equal(0);
    const { loadId } = JSON.parse(first.stdout) as { loadId: string };
    // Data loss in Redis: two waiting chunk jobs disappear.
    const queue = new Queue(env.QUEUE_NAME!, { connection: { url: process.env.REDIS_URL } });
    try {
      expect(await queue.remove(`${loadId}.4`)).to.equal(1);
      expect(await queue.remove(`${loadId}.9`)).to.equal(1);
    } finally {
      await queue.close();
    }
    const worker = await startWorker(env);
    try {
      const status = await run(SCRIPTS.status, [loadId, '--wait', '--json'], env, 120_000);
      expect(status.code).to.equal(1);
      const report = JSON.parse(status.stdout) as LoadReport;
      expect(report.state).to.equal('running');
      expect(report.missingChunks).to.deep.equal([4, 9]);
      expect(status.stderr).to.include('chunks 4, 9');
      expect(status.stderr).to.include('run enqueue');

      const again = await run(SCRIPTS.enqueue, [file, '--chunk-size', '250', '--wait', '--json'], env);
      expect(again.code, again.stderr).to.equal(0);
      expect(again.stderr).to.include(`load ${loadId}: resumed: 2 of 12 chunks were missing and are enqueued again`);
      await expectExactLoadIn(env, JSON.parse(again.stdout) as LoadReport, expected, 12);
    } finally {
      await worker.stop();
    }
  });
});
