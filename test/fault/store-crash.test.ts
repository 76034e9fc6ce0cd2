import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadReport } from '@hcingest/shared';
import { generate } from '../harness/expectations.js';
import { expectExactLoad } from '../harness/loadAssertions.js';
import { isolatedEnv, startProcess, SCRIPTS, startWorker, waitUntil, within } from '../harness/processes.js';
import { currentServices } from '../harness/rootHooks.js';
import { openDb } from '../harness/store.js';

/**
 * The database server crashes (SIGKILL) several times during a load, while the producer is still
 * enqueueing and while workers are writing, and restarts at once on the same storage. A chunk
 * job completes only after its writes are journaled, so no completed chunk may lose its rows or
 * its accounting: the same `enqueue --wait` ends exact, with nothing enqueued again and no
 * operator step. (With MONGO_WRITE_CONCERN=acknowledged this test fails: completed chunks whose
 * accounting was lost in the crash are on no queue any more.)
 */
describe('fault: the database server is killed with SIGKILL during a load', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-dbkill-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loses no acknowledged write: the load ends exact without a re-enqueue', async function () {
    const mongo = currentServices().mongo;
    if (!mongo) {
      console.log('      skipped: MONGO_URL points at a server this test did not start, so it cannot kill it');
      this.skip();
    }
    const file = join(dir, 'kill.csv');
    const expected = await generate(file, 15_000, 23);
    const chunks = 60;
    const env = isolatedEnv('dbkill', {
      JOB_ATTEMPTS: '50',
      JOB_BACKOFF_MS: '200',
      // A small window keeps the producer enqueueing while the first crashes happen.
      QUEUE_MAX_PENDING: '4',
      LOG_LEVEL: 'info',
      ...(process.env.TEST_WRITE_CONCERN ? { MONGO_WRITE_CONCERN: process.env.TEST_WRITE_CONCERN } : {}),
    });
    const workers = await Promise.all([1, 2].map(() => startWorker(env)));
    const { client, db } = await openDb(env);
    try {
      const load = await startProcess(SCRIPTS.enqueue, [file, '--chunk-size', '250', '--wait', '--json'], env);
      const accounted = () =>
        db
          .collection('chunk_results')
          .countDocuments()
          .catch(() => 0);
      let enqueuedAtFirstKill: number | null = null;
      for (const after of [4, 20, 40]) {
        await waitUntil(`${after} chunks accounted`, async () => (await accounted()) >= after, 120_000, 50);
        if (enqueuedAtFirstKill === null) {
          enqueuedAtFirstKill = ((await db.collection('loads').findOne({}))?.chunksTotal as number | null) ?? -1;
        }
        await mongo!.stop('SIGKILL');
        await mongo!.start();
      }
      expect(enqueuedAtFirstKill, 'the first crash came while the producer was still enqueueing').to.equal(-1);

      const r = await within('the load to complete after the crashes', load.done, 240_000);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stderr).to.not.match(/missing|on no queue/i);
      for (const w of workers) expect(w.proc.exitCode, 'worker survived the crashes').to.equal(null);
      // Enqueued once: every chunk job was added by this one producer run, none again.
      const enqueue = JSON.parse(r.stdout) as LoadReport;
      await expectExactLoad(db, enqueue, expected, chunks);
    } finally {
      await client.close();
      await Promise.all(workers.map((w) => w.stop()));
    }
  });
});
