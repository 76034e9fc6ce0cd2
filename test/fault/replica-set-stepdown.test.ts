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
 * itself. A write in between either waits in the driver's server selection until there is a
 * primary again, or, when it reached the server before the driver learnt of the stepdown, fails with
 * NotWritablePrimary and its chunk attempt is retried (MongoDB 4.4+ labels that error
 * RetryableWriteError and the driver retries the write once by itself; SecantusDB does not label
 * it, so there the worker's retry with backoff does the work). Which of the two happens depends on
 * timing, so the test asserts neither; it asserts that the election fell in the middle of the load
 * (chunks were still to be written when no primary was left), that no chunk failed for good
 * (every failed attempt, whatever its error, was retried) and that the load ends exact with
 * MONGO_WRITE_CONCERN=majority. It prints the errors the attempts met.
 */
const CHUNKS = 40; // 10,000 rows in chunks of 250

describe('fault: the primary steps down (an election) in the middle of a load', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-stepdown-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes wait or fail and are retried; no chunk fails for good; the load ends exact with w: majority', async function () {
    const file = join(dir, 'stepdown.csv');
    const expected = await generate(file, 10_000, 34);
    const env = isolatedEnv('stepdown', {
      MONGO_WRITE_CONCERN: 'majority',
      JOB_ATTEMPTS: '30',
      JOB_BACKOFF_MS: '500',
      // 40 chunks of at least 300 ms on 2 workers: seconds of load left after the first 3 chunks.
      FAULT_CHUNK_DELAY_MS: '300',
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
      // Read from the secondary: how far the load was when the primary was gone.
      const accountedAtStepdown = await db
        .collection('chunk_results')
        .countDocuments({}, { readPreference: 'secondaryPreferred' });
      expect(accountedAtStepdown, 'chunks left to write after the stepdown').to.be.below(CHUNKS);

      const r = await within('the load to complete after the election', load.done, 240_000);
      expect(r.code, r.stderr).to.equal(0);
      for (const w of workers) expect(w.proc.exitCode, 'worker survived the election').to.equal(null);
      const lines = workers.flatMap((w) => w.stderr().split('\n'));
      expect(
        lines.filter((l) => l.includes('"chunk failed for good"')),
        'no chunk failed for good: every failed attempt was retried',
      ).to.deep.equal([]);
      const errors = lines
        .filter((l) => l.includes('"chunk failed: will retry"'))
        .map((l) => String((JSON.parse(l) as { error?: unknown }).error));
      console.log(
        `      stepdown at chunk ${accountedAtStepdown}/${CHUNKS}; ${errors.length} chunk attempts failed and were retried` +
          (errors.length ? `: ${[...new Set(errors)].join(' | ')}` : ''),
      );
      expect((await admin.db('admin').command({ hello: 1 })).isWritablePrimary, 'a primary again').to.equal(true);
      await expectExactLoad(db, JSON.parse(r.stdout) as LoadReport, expected, CHUNKS);
    } finally {
      await admin.close();
      await client.close();
      await Promise.all(workers.map((w) => w.stop()));
    }
  });
});
