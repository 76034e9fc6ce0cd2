import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from 'mongodb';
import { EXIT, type LoadReport } from '@hcingest/shared';
import { byIdentity, generate, storedDocs } from '../harness/expectations.js';
import { archivedDocs, writeMirrorFile, type MirrorFile } from '../harness/mirrorFile.js';
import {
  isolatedEnv,
  run,
  SCRIPTS,
  startProcess,
  startWorker,
  waitUntil,
  within,
  type Background,
  type WorkerProcess,
} from '../harness/processes.js';
import { currentServices } from '../harness/rootHooks.js';
import { openDb } from '../harness/store.js';

/**
 * A mirror load's archive step is killed in the middle: its worker (SIGKILL, the job handed to
 * another worker once its lock expires), or the database server (SIGKILL, restarted on the same
 * storage; the step's attempt fails and is retried). Small batches make many points to stop at.
 * The step is idempotent: it ends with exactly the removed admissions archived, once each.
 */
describe('fault: the archive step of a mirror load is killed', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-mirror-kill-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const settings = {
    ARCHIVE_BATCH_SIZE: '25',
    LOCK_DURATION_MS: '2000',
    STALLED_INTERVAL_MS: '1000',
    JOB_ATTEMPTS: '50',
    JOB_BACKOFF_MS: '200',
  };

  /** Loads a base file, then starts a mirror of it with 40 % removed (--wait, in the background). */
  async function startMirror(label: string, seed: number) {
    const env = isolatedEnv(label, settings);
    const base = join(dir, `${label}-base.csv`);
    const expected = await generate(base, 3000, seed);
    const worker = await startWorker(env);
    expect((await run(SCRIPTS.enqueue, [base, '--chunk-size', '250', '--wait'], env)).code).to.equal(EXIT.ok);
    const file = join(dir, `${label}-extract.csv`);
    const sorted = [...expected.docs].sort(byIdentity);
    const mirror = writeMirrorFile(file, { docs: sorted }, { removeShare: 0.4, changeShare: 0.02, seed });
    const args = [file, '--mode', 'mirror', '--max-archive', '100%', '--chunk-size', '250', '--wait', '--json'];
    const load = await startProcess(SCRIPTS.enqueue, args, env);
    const { client, db } = await openDb(env);
    return { env, worker, mirror, load, client, db };
  }

  /** Waits until at least `n` documents are in the archive (reads during a crash count as 0). */
  const archivedAtLeast = (db: Db, n: number) =>
    waitUntil(
      `${n} documents archived`,
      async () =>
        (await db
          .collection('patients_archive')
          .countDocuments()
          .catch(() => 0)) >= n,
      120_000,
      20,
    );

  /** The load ended exact: the extract's documents, the removed ones archived once each, the report. */
  async function expectExact(db: Db, load: Background, mirror: MirrorFile) {
    const r = await within('the mirror load to end', load.done, 240_000);
    expect(r.code, r.stderr).to.equal(EXIT.ok);
    const report = JSON.parse(r.stdout) as LoadReport;
    expect(report.archive).to.deep.include({ stage: 'done', archived: mirror.removed.length });
    expect(report).to.include({ updated: mirror.changed.length, inserted: 0, rejected: 0 });
    expect(await storedDocs(db)).to.deep.equal(mirror.docs);
    expect(await archivedDocs(db, report.loadId)).to.deep.equal(mirror.removed);
  }

  it('a worker killed while it moves documents: another worker takes the step over and ends exact', async function () {
    const { env, worker, mirror, load, client, db } = await startMirror('mkillw', 61);
    const workers: WorkerProcess[] = [worker];
    try {
      let victim = worker;
      for (const share of [0.15, 0.5]) {
        await archivedAtLeast(db, Math.round(share * mirror.removed.length));
        await victim.stop('SIGKILL');
        // Killed in the middle of moving: part of the removed admissions archived, not all.
        const moved = await db.collection('patients_archive').countDocuments();
        expect(moved).to.be.greaterThan(0).and.lessThan(mirror.removed.length);
        victim = await startWorker(env);
        workers.push(victim);
      }
      await expectExact(db, load, mirror);
      expect(workers[0]!.proc.exitCode ?? workers[0]!.proc.signalCode).to.equal('SIGKILL');
    } finally {
      await client.close();
      await Promise.all(workers.map((w) => w.stop()));
    }
  });

  it('the database server killed while documents move: the step is retried and ends exact', async function () {
    const mongo = currentServices().mongo;
    if (!mongo) {
      console.log('      skipped: MONGO_URL points at a server this test did not start, so it cannot kill it');
      this.skip();
    }
    const { worker, mirror, load, client, db } = await startMirror('mkilldb', 62);
    try {
      for (const share of [0.15, 0.5]) {
        await archivedAtLeast(db, Math.round(share * mirror.removed.length));
        await mongo!.stop('SIGKILL');
        await mongo!.start();
      }
      await expectExact(db, load, mirror);
      expect(worker.proc.exitCode, 'the worker survived the crashes').to.equal(null);
    } finally {
      await client.close();
      await worker.stop();
    }
  });
});
