import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import type { LoadReport } from '@hcingest/shared';
import { generate } from '../harness/expectations.js';
import { expectExactLoad } from '../harness/loadAssertions.js';
import { isolatedEnv, startProcess, SCRIPTS, startWorker, waitUntil, within } from '../harness/processes.js';
import { currentServices } from '../harness/rootHooks.js';
import { openDb } from '../harness/store.js';

/**
 * An election in the middle of a load: the primary steps down (replSetStepDown, as MongoDB does
 * for maintenance or when it loses its majority) and is not writable until a primary is elected
 * again. SecantusDB is a single-node replica set: it steps down for the given time, then elects
 * itself. Writes in between fail with NotWritablePrimary; chunk attempts are retried, and the
 * load ends exact with MONGO_WRITE_CONCERN=majority. (MongoDB 4.4+ labels that error
 * RetryableWriteError and the driver retries the write once by itself; SecantusDB does not label
 * it, so here the worker's retry with backoff does the work.)
 */
describe('fault: the primary steps down (an election) in the middle of a load', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-stepdown-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('fails the writes in between, retries them, and ends exact with w: majority', async function () {
    const file = join(dir, 'stepdown.csv');
    const expected = await generate(file, 10_000, 34);
    const env = isolatedEnv('stepdown', {
      MONGO_WRITE_CONCERN: 'majority',
      JOB_ATTEMPTS: '30',
      JOB_BACKOFF_MS: '500',
      FAULT_CHUNK_DELAY_MS: '100',
    });
    const admin = new MongoClient(currentServices().mongoUrl, { serverSelectionTimeoutMS: 30_000 });
    const workers = await Promise.all([1, 2].map(() => startWorker(env)));
    const { client, db } = await openDb(env);
    try {
      const hello = await admin.db('admin').command({ hello: 1 });
      if (typeof hello.setName !== 'string') {
        console.log('      skipped: the test server is no replica set (hello names no setName)');
        return this.skip();
      }
      const load = await startProcess(SCRIPTS.enqueue, [file, '--chunk-size', '250', '--wait', '--json'], env);
      await waitUntil(
        'a few chunks accounted',
        async () => (await db.collection('chunk_results').countDocuments()) >= 3,
      );

      await admin.db('admin').command({ replSetStepDown: 8, secondaryCatchUpPeriodSecs: 0, force: true });
      const during = await admin.db('admin').command({ hello: 1 });
      expect(during.isWritablePrimary, 'no writable primary right after the stepdown').to.equal(false);

      const r = await within('the load to complete after the election', load.done, 240_000);
      expect(r.code, r.stderr).to.equal(0);
      for (const w of workers) expect(w.proc.exitCode, 'worker survived the election').to.equal(null);
      const failed = workers
        .flatMap((w) => w.stderr().split('\n'))
        .filter((l) => l.includes('"chunk failed: will retry"'));
      expect(failed.join('\n'), 'chunk attempts failed for want of a primary').to.match(/primary/i);
      expect((await admin.db('admin').command({ hello: 1 })).isWritablePrimary, 'a primary again').to.equal(true);
      await expectExactLoad(db, JSON.parse(r.stdout) as LoadReport, expected, 40);
    } finally {
      await admin.close();
      await client.close();
      await Promise.all(workers.map((w) => w.stop()));
    }
  });
});
