import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadReport } from '@hcingest/shared';
import { generate } from '../harness/expectations.js';
import { expectExactLoadIn } from '../harness/loadAssertions.js';
import { isolatedEnv, run, SCRIPTS, startWorker } from '../harness/processes.js';

describe('fault: a chunk keeps failing', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-failed-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is failed after the configured attempts, listed with its error, and completes once retried', async function () {
    const file = join(dir, 'faulty.csv');
    const expected = await generate(file, 2000, 27);
    const env = isolatedEnv('failed', { JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '100' });
    const faulty = await startWorker({ ...env, FAULT_FAIL_CHUNKS: '3,7' });
    let report: LoadReport;
    try {
      const r = await run(SCRIPTS.enqueue, [file, '--chunk-size', '200', '--wait', '--json'], env);
      expect(r.code, 'a failed load exits non-zero').to.equal(1);
      report = JSON.parse(r.stdout) as LoadReport;
      expect(report.state).to.equal('failed');
      expect(report.chunks).to.include({ total: 10, completed: 8, failed: 2 });
      expect(report.failedChunks.map((f) => f.chunk)).to.deep.equal([3, 7]);
      for (const f of report.failedChunks) {
        expect(f.attempts).to.equal(2);
        expect(f.error).to.include('injected fault');
      }
    } finally {
      await faulty.stop();
    }

    const listed = await run(SCRIPTS.failed, [report.loadId, '--json'], env);
    expect(listed.code).to.equal(0);
    expect((JSON.parse(listed.stdout) as { chunk: number }[]).map((f) => f.chunk)).to.deep.equal([3, 7]);
    const all = await run(SCRIPTS.failed, [], env);
    expect(all.stdout).to.include(`${report.loadId}  chunk 3`);

    // The fault is gone: a healthy worker takes the retried chunks.
    const healthy = await startWorker(env);
    try {
      const retried = await run(SCRIPTS.retry, [report.loadId, '--json'], env);
      expect(retried.code, retried.stderr).to.equal(0);
      expect(JSON.parse(retried.stdout)).to.deep.equal({ loadId: report.loadId, requeued: [3, 7], gone: [] });
      const done = await run(SCRIPTS.status, [report.loadId, '--wait', '--json'], env);
      expect(done.code, done.stderr).to.equal(0);
      await expectExactLoadIn(env, JSON.parse(done.stdout) as LoadReport, expected, 10);
      expect((await run(SCRIPTS.failed, [report.loadId], env)).stdout).to.equal('no failed chunks\n');
    } finally {
      await healthy.stop();
    }
  });
});
