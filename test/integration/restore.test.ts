import { expect } from 'chai';
import type { Db, MongoClient } from 'mongodb';
import type { ArchivedDoc, PatientDoc } from '@hcingest/shared';
import { archivedDoc, loadDoc, patientDoc, seed } from '../harness/archive.js';
import { isolatedEnv, run, SCRIPTS } from '../harness/processes.js';
import { openDb } from '../harness/store.js';

type Counts = { loadId: string; restored: number; kept: number; alreadyRestored: number };

describe('restore: puts back what a mirror load archived', function () {
  const env = isolatedEnv('restore');
  let client: MongoClient;
  let db: Db;
  const restore = (...args: string[]) => run(SCRIPTS.restore, args, env);

  // Mirror load M (seq 3) archived: 1,200 admissions nothing wrote since (more than one batch);
  // one a later merge load (seq 4) wrote again; one a later mirror load M2 (seq 5) archived in a
  // newer version; one put back by an earlier run; one put back by a run stopped before it marked it.
  const fresh = Array.from({ length: 1200 }, (_, i) => patientDoc(`a${String(i).padStart(5, '0')}`, 2, i + 1));
  const rewritten = patientDoc('b-rewritten', 1, 7);
  const rewrittenLater = patientDoc('b-rewritten', 4, 3, 'Later Name');
  const archivedAgain = patientDoc('e-archived-again', 2, 9000);
  const archivedAgainNewer = patientDoc('e-archived-again', 4, 12, 'Newer Name');
  const restoredBefore = new Date('2026-01-02T03:04:05Z');
  const earlier = patientDoc('c-restored-before', 2, 9001);
  const halfDone = patientDoc('d-half-done', 2, 9002);

  before(async function () {
    ({ client, db } = await openDb(env));
    // Run once first: the harness creates the accounts and the indexes before seeding.
    expect((await restore('--help')).code).to.equal(0);
    await seed(db, {
      loads: [
        loadDoc('M', 3, { stage: 'done', archived: 1204 }),
        loadDoc('L4', 4),
        loadDoc('M2', 5, { stage: 'done', archived: 1 }),
        loadDoc('M-running', 6, { stage: 'running' }),
      ],
      patients: [rewrittenLater, earlier, halfDone],
      archive: [
        ...[...fresh, rewritten, archivedAgain, halfDone].map((d) => archivedDoc('M', d)),
        archivedDoc('M', earlier, restoredBefore),
        archivedDoc('M2', archivedAgainNewer),
      ],
    });
  });
  after(async () => {
    await client?.close();
  });

  it('answers --help with its usage, and a missing load id with exit 2', async () => {
    const help = await restore('--help');
    expect(help.stdout).to.match(/^Usage: restore /);
    expect(help.stdout).to.include('alreadyRestored').and.to.include('Exit codes');
    const none = await restore();
    expect(none.code).to.equal(2);
    expect(none.stderr).to.include('loadId');
  });

  it('refuses an unknown load and a merge load (exit 3), and a mirror load whose archive step is running (exit 2), writing nothing', async () => {
    const unknown = await restore('nope');
    expect(unknown.code).to.equal(3);
    expect(unknown.stderr).to.include('no load "nope"');
    const merge = await restore('L4');
    expect(merge.code).to.equal(3);
    expect(merge.stderr).to.include('not a mirror load');
    const running = await restore('M-running', '--json');
    expect(running.code).to.equal(2);
    expect(running.stderr).to.include('has not ended (running)');
    expect(running.stdout).to.equal('');
    expect(await db.collection('patients').countDocuments()).to.equal(3);
  });

  it('puts back what nothing wrote since, keeps later writes, and marks what it put back', async () => {
    const r = await restore('M', '--json');
    expect(r.code, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout) as Counts).to.deep.equal({ loadId: 'M', restored: 1201, kept: 2, alreadyRestored: 1 });

    const patients = db.collection<PatientDoc>('patients');
    // Each put back exactly as it was archived, BSON types and provenance included.
    const back = await patients
      .find({ _id: { $in: fresh.map((d) => d._id) } }, { promoteValues: false })
      .sort({ _id: 1 })
      .toArray();
    expect(back).to.deep.equal(
      await db
        .collection<ArchivedDoc>('patients_archive')
        .find({ loadId: 'M', admissionId: { $in: fresh.map((d) => d._id) } }, { promoteValues: false })
        .sort({ _id: 1 })
        .map((a) => a.doc)
        .toArray(),
    );
    expect(back.map((d) => d._id)).to.deep.equal(fresh.map((d) => d._id));
    // The later loads' writes stay: the one in patients, and the newer version M2 archived (not put back).
    expect(await patients.findOne({ _id: 'b-rewritten' })).to.have.nested.property('Name', 'Later Name');
    expect(await patients.countDocuments({ _id: 'e-archived-again' })).to.equal(0);
    expect(await patients.countDocuments()).to.equal(1200 + 3);

    const archive = db.collection<ArchivedDoc>('patients_archive');
    const marked = await archive.find({ loadId: 'M', restoredAt: { $exists: true } }).toArray();
    expect(marked.map((a) => a.admissionId).sort()).to.deep.equal(
      [...fresh.map((d) => d._id), 'c-restored-before', 'd-half-done'].sort(),
    );
    expect(marked.find((a) => a.admissionId === 'c-restored-before')!.restoredAt).to.deep.equal(restoredBefore);
    expect(await archive.countDocuments({ restoredAt: { $exists: false } })).to.equal(3);
    expect(await archive.countDocuments(), 'the archive keeps every copy').to.equal(1205);
  });

  it('restores nothing a second time, counting what was put back before (text output)', async () => {
    const r = await restore('M');
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.equal(
      'load M: restored 0 admission(s); kept 2 written by a later load since (left in the archive); 1202 restored before\n',
    );
    expect(await db.collection('patients').countDocuments()).to.equal(1203);
  });

  it('puts back the newer version from the later mirror load', async () => {
    const r = await restore('M2', '--json');
    expect(r.code, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout) as Counts).to.deep.equal({ loadId: 'M2', restored: 1, kept: 0, alreadyRestored: 0 });
    expect(await db.collection<PatientDoc>('patients').findOne({ _id: 'e-archived-again' })).to.have.property(
      'Name',
      'Newer Name',
    );
    // M's older copy of it is now behind a later write: kept.
    const again = await restore('M', '--json');
    expect(JSON.parse(again.stdout) as Counts).to.include({ restored: 0, kept: 2 });
  });
});
