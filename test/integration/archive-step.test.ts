import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchReplies } from '@hcingest/devstack';
import { createLogger, EXIT, type LoadDoc, type LoadReport, type Store } from '@hcingest/shared';
import { countCandidates, runArchiveStep } from '@hcingest/worker';
import { generate, storedDocs } from '../harness/expectations.js';
import { writerStore } from '../harness/chunks.js';
import { archivedDocs, writeMirrorFile, type MirrorFile } from '../harness/mirrorFile.js';
import { isolatedEnv, run, SCRIPTS, startWorker, type WorkerProcess } from '../harness/processes.js';

describe('archive step: the collection read as ids in one pass, whole documents only for what it moves', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-archive-step-'));
  const env = isolatedEnv('archive-step');
  let worker: WorkerProcess;
  let store: Store;
  let mirror: MirrorFile;
  let load: LoadDoc;

  before(async function () {
    const base = join(dir, 'base.csv');
    await generate(base, 1200, 77);
    worker = await startWorker(env);
    const first = await run(SCRIPTS.enqueue, [base, '--chunk-size', '200', '--wait'], env);
    expect(first.code, first.stderr).to.equal(EXIT.ok);
    store = await writerStore(env, { monitorCommands: true });
    const file = join(dir, 'extract.csv');
    mirror = writeMirrorFile(
      file,
      { docs: await storedDocs(store.db) },
      { removeShare: 0.1, changeShare: 0.02, seed: 5 },
    );
    // Refused (a limit of 0), so that its archive step is left for the test to run.
    const args = [file, '--mode', 'mirror', '--max-archive', '0', '--chunk-size', '200', '--wait', '--json'];
    const refused = await run(SCRIPTS.enqueue, args, env);
    expect(refused.code, refused.stderr).to.equal(EXIT.archiveRefused);
    const report = JSON.parse(refused.stdout) as LoadReport;
    load = (await store.loads.findOne({ _id: report.loadId }))!;
    await worker.stop();
  });
  after(async () => {
    await worker?.stop();
    await store?.client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts the same admissions whatever the batch size', async function () {
    const m = { loadId: load._id, seq: load.seq };
    for (const batch of [1, 7, 64, 1000]) {
      expect(await countCandidates(store, m, batch), `batch ${batch}`).to.equal(mirror.removed.length);
    }
  });

  it('moves exactly the removed admissions, reading whole only those, never more than a batch per reply', async function () {
    const seen = watchReplies(store, 'patients');
    const confirmed = { ...load, archive: { ...load.archive!, confirmed: true } };
    const out = await runArchiveStep(store, confirmed, createLogger('test', 'silent'), 50);
    expect(out).to.deep.include({ stage: 'done', archived: mirror.removed.length });
    expect(seen.wholeDocumentsRead).to.equal(mirror.removed.length);
    expect(seen.largestReply).to.be.at.most(50);
    expect(await archivedDocs(store.db, load._id)).to.deep.equal(mirror.removed);
    expect(await storedDocs(store.db)).to.deep.equal(mirror.docs);
    // Run again (a retried step): nothing more is read whole or moved.
    const again = watchReplies(store, 'patients');
    expect(await runArchiveStep(store, confirmed, createLogger('test', 'silent'), 50)).to.deep.include({
      archived: mirror.removed.length,
    });
    expect(again.wholeDocumentsRead).to.equal(0);
  });
});
