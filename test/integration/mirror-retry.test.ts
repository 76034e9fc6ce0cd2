import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT, type LoadReport } from '@hcingest/shared';
import { byIdentity, generate, storedDocs } from '../harness/expectations.js';
import { archivedDocs, writeMirrorFile } from '../harness/mirrorFile.js';
import { isolatedEnv, run, SCRIPTS, startWorker, waitUntil } from '../harness/processes.js';
import { openDb } from '../harness/store.js';

describe('mirror loads with failed chunks: nothing archived until retry', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-mirror-retry-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('marks the archive step failed, and retry re-queues it after the chunks: exact', async function () {
    const env = isolatedEnv('mretry', { JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '100' });
    const base = join(dir, 'base.csv');
    const expected = await generate(base, 2000, 91);
    let worker = await startWorker(env);
    expect((await run(SCRIPTS.enqueue, [base, '--chunk-size', '250', '--wait'], env)).code).to.equal(EXIT.ok);
    await worker.stop();
    const file = join(dir, 'extract.csv');
    const sorted = [...expected.docs].sort(byIdentity);
    const mirror = writeMirrorFile(file, { docs: sorted }, { removeShare: 0.05, changeShare: 0.02, seed: 9 });
    const { client, db } = await openDb(env);
    // Every attempt of chunk 1 fails: the load fails, and its archive step must not run.
    worker = await startWorker({ ...env, FAULT_FAIL_CHUNKS: '1' });
    try {
      const failed = await run(
        SCRIPTS.enqueue,
        [file, '--mode', 'mirror', '--chunk-size', '250', '--wait', '--json'],
        env,
      );
      expect(failed.code).to.equal(EXIT.notCompleted);
      const { loadId } = JSON.parse(failed.stdout) as LoadReport;
      const archive = await waitUntil('the archive step marked failed', async () => {
        const load = await db.collection('loads').findOne({ _id: loadId as never });
        return load?.archive?.stage === 'failed' ? (load.archive as { reason: string }) : undefined;
      });
      expect(archive?.reason).to.equal('failed chunks: run retry');
      expect(await db.collection('patients_archive').countDocuments()).to.equal(0);
      const status = await run(SCRIPTS.status, [loadId], env);
      expect(status.stdout).to.include(`archive    FAILED: failed chunks: run retry (run retry ${loadId})`);

      await worker.stop();
      worker = await startWorker(env);
      const retry = await run(SCRIPTS.retry, [loadId], env);
      expect(retry.code, retry.stderr).to.equal(EXIT.ok);
      expect(retry.stdout).to.include('re-queued 1 chunk(s): 1').and.include('re-queued the archive step');
      const done = await run(SCRIPTS.status, [loadId, '--wait', '--json'], env);
      expect(done.code, done.stderr).to.equal(EXIT.ok);
      const report = JSON.parse(done.stdout) as LoadReport;
      expect(report.archive).to.deep.include({ stage: 'done', archived: mirror.removed.length });
      expect(await storedDocs(db)).to.deep.equal(mirror.docs);
      expect(await archivedDocs(db, loadId)).to.deep.equal(mirror.removed);
    } finally {
      await client.close();
      await worker.stop();
    }
  });
});
