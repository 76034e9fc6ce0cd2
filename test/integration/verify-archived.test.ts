import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db, MongoClient } from 'mongodb';
import type { ArchivedDoc, LoadDoc, LoadReport, PatientDoc } from '@hcingest/shared';
import type { VerifyResult } from '@hcingest/ops';
import { archivedDoc, patientDoc, seed } from '../harness/archive.js';
import { generate } from '../harness/expectations.js';
import { isolatedEnv, run, SCRIPTS, startWorker } from '../harness/processes.js';
import { openDb } from '../harness/store.js';

/**
 * The file is loaded for real; its load is then marked a mirror load and given hand-made archive
 * documents (as the archive step writes them), so that verify --archived is tested apart from the step.
 */
describe('verify --archived: what a mirror load archived, against the file and the store', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-verify-archived-'));
  const env = isolatedEnv('verifyarch');
  const file = join(dir, 'full-extract.csv');
  let loadId: string;
  let client: MongoClient;
  let db: Db;

  const verify = async (...args: string[]) => {
    const r = await run(SCRIPTS.verify, [file, '--archived', ...args], env);
    return { ...r, result: args.includes('--json') ? (JSON.parse(r.stdout) as VerifyResult) : undefined };
  };
  const archive = () => db.collection<ArchivedDoc>('patients_archive');

  // Archived by the load (seq 1) from versions written before it (seq 0 here).
  const gone = Array.from({ length: 620 }, (_, i) => patientDoc(`gone-${String(i).padStart(4, '0')}`, 0, i + 1));
  const restored = patientDoc('restored', 0, 9000);
  const rewritten = patientDoc('rewritten', 0, 9001);

  before(async function () {
    await generate(file, 400, 71);
    const worker = await startWorker(env);
    try {
      const r = await run(SCRIPTS.enqueue, [file, '--wait', '--json'], env);
      expect(r.code, r.stderr).to.equal(0);
      loadId = (JSON.parse(r.stdout) as LoadReport).loadId;
    } finally {
      await worker.stop();
    }
    ({ client, db } = await openDb(env));
    await db
      .collection<LoadDoc>('loads')
      .updateOne(
        { _id: loadId },
        { $set: { mode: 'mirror', archive: { stage: 'done', limit: { share: 0.1 }, archived: 622 } } },
      );
    await seed(db, {
      // restore put one back; a later load (seq 2) wrote another again.
      patients: [restored, patientDoc('rewritten', 2, 5)],
      archive: [...gone, rewritten]
        .map((d) => archivedDoc(loadId, d))
        .concat(archivedDoc(loadId, restored, new Date())),
    });
  });
  after(async () => {
    await client?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds every archived admission absent from the file and from patients, restored or rewritten since: exit 0', async () => {
    const { code, stderr, result } = await verify('--json');
    expect(code, stderr).to.equal(0);
    expect(result!.result).to.equal('OK');
    expect(result!.archived).to.deep.equal({
      loadId,
      stage: 'done',
      archived: 622,
      recorded: 622,
      restored: 1,
      writtenSince: 1,
      inFile: 0,
      inFileRows: [],
      inPatients: 0,
      malformed: 0,
      ok: true,
    });
    const text = await verify('--load-id', loadId);
    expect(text.code, text.stderr).to.equal(0);
    expect(text.stdout).to.include(
      `archived    622 by load ${loadId} (archive done): none in the file, none left in patients; 1 restored since, 1 written again by a later load`,
    );
    expect(text.stdout).to.include('result      OK');
  });

  it('names an archived admission the file holds, one still in patients, and a count the load did not record: MISMATCH, exit 1', async () => {
    const [inFile] = await db
      .collection<PatientDoc>('patients')
      .find({ '_ingest.loadId': loadId })
      .sort({ '_ingest.row': 1 })
      .limit(1)
      .toArray();
    const stale = patientDoc('gone-0003', 0, 4);
    await seed(db, { archive: [archivedDoc(loadId, { ...inFile!, _ingest: { ...inFile!._ingest, version: 5 } })] });
    await seed(db, { patients: [stale] });
    try {
      const { code, result } = await verify('--json');
      expect(code).to.equal(1);
      expect(result!.result).to.equal('MISMATCH');
      expect(result!.archived).to.include({ archived: 623, recorded: 622, inFile: 1, inPatients: 1, ok: false });
      expect(result!.archived!.inFileRows).to.deep.equal([inFile!._ingest.row]);
      const text = await verify();
      expect(text.code).to.equal(1);
      expect(text.stdout).to.include(
        `(archive done, the load recorded 622): DIFFER: 1 the file holds (rows ${inFile!._ingest.row}); 1 still in patients`,
      );
      expect(text.stdout).to.not.include(inFile!.Name);
    } finally {
      await archive().deleteOne({ admissionId: inFile!._id });
      await db.collection<PatientDoc>('patients').deleteOne({ _id: stale._id });
    }
    expect((await verify()).code).to.equal(0);
  });

  it('counts an archive document not as the archive step writes it (a version the load may not archive)', async () => {
    const late = patientDoc('late', 1, 3);
    await seed(db, { archive: [archivedDoc(loadId, late)] });
    try {
      const { code, result } = await verify('--json');
      expect(code).to.equal(1);
      expect(result!.archived).to.include({ malformed: 1, ok: false });
    } finally {
      await archive().deleteOne({ admissionId: 'late' });
    }
  });

  it('refuses a load that is not a mirror load (exit 3), and a --load-id that does not exist', async () => {
    await db.collection<LoadDoc>('loads').updateOne({ _id: loadId }, { $unset: { mode: '', archive: '' } });
    try {
      const r = await verify();
      expect(r.code).to.equal(3);
      expect(r.stderr).to.include(`load "${loadId}" is not a mirror load`);
      expect(r.stdout).to.equal('');
      // Without --archived the same load verifies as before.
      expect((await run(SCRIPTS.verify, [file], env)).code).to.equal(0);
    } finally {
      await db
        .collection<LoadDoc>('loads')
        .updateOne(
          { _id: loadId },
          { $set: { mode: 'mirror', archive: { stage: 'done', limit: { share: 0.1 }, archived: 622 } } },
        );
    }
    const unknown = await verify('--load-id', 'nope');
    expect(unknown.code).to.equal(3);
    expect(unknown.stderr).to.include('no load "nope"');
  });
});
