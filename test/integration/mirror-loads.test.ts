import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db, MongoClient } from 'mongodb';
import { COLUMNS, EXIT, type LoadReport } from '@hcingest/shared';
import { byIdentity, generate, storedDocs } from '../harness/expectations.js';
import { archivedDocs, writeMirrorFile } from '../harness/mirrorFile.js';
import { isolatedEnv, run, SCRIPTS, startWorker, type WorkerProcess } from '../harness/processes.js';
import { openDb } from '../harness/store.js';

describe('mirror loads: a full extract archives what it no longer has', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-mirror-'));
  const env = isolatedEnv('mirror');
  let worker: WorkerProcess;
  let client: MongoClient;
  let db: Db;
  let baseCount: number;

  const enqueue = async (...args: string[]) => {
    const r = await run(SCRIPTS.enqueue, [...args, '--chunk-size', '250', '--wait', '--json'], env);
    return { ...r, report: r.stdout ? (JSON.parse(r.stdout) as LoadReport) : undefined };
  };

  before(async function () {
    const base = join(dir, 'base.csv');
    const expected = await generate(base, 3000, 424);
    baseCount = expected.docs.length;
    worker = await startWorker(env);
    const r = await enqueue(base);
    expect(r.code, r.stderr).to.equal(0);
    ({ client, db } = await openDb(env));
    expect(await storedDocs(db)).to.deep.equal([...expected.docs].sort(byIdentity));
  });
  after(async () => {
    await worker?.stop();
    await client?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('5 % removed and 2 % changed: the documents are the extract, the archive holds the removed ones', async function () {
    const before = await storedDocs(db);
    const file = join(dir, 'extract-1.csv');
    const mirror = writeMirrorFile(file, { docs: before }, { removeShare: 0.05, changeShare: 0.02, seed: 1 });
    const { code, stderr, report } = await enqueue(file, '--mode', 'mirror');
    expect(code, stderr).to.equal(EXIT.ok);
    expect(await storedDocs(db)).to.deep.equal(mirror.docs);
    // The store is the file, and only the file: verify --exact passes (it failed on extra
    // admissions after every full reload before mirror loads).
    const exact = await run(SCRIPTS.verify, [file, '--exact'], env);
    expect(exact.code, exact.stdout + exact.stderr).to.equal(EXIT.ok);
    const archivedOk = await run(SCRIPTS.verify, [file, '--archived'], env);
    expect(archivedOk.code, archivedOk.stdout + archivedOk.stderr).to.equal(EXIT.ok);
    expect(await archivedDocs(db, report!.loadId)).to.deep.equal(mirror.removed);
    expect(report).to.deep.include({
      mode: 'mirror',
      state: 'completed',
      rowsRead: mirror.docs.length,
      rejected: 0,
      inserted: 0,
      updated: mirror.changed.length,
      unchanged: mirror.docs.length - mirror.changed.length,
    });
    expect(report!.archive).to.deep.include({ stage: 'done', archived: mirror.removed.length, patients: baseCount });
    expect(mirror.removed.length).to.equal(Math.round(0.05 * baseCount));
    // The same file again is the same load: nothing new, the report says what its archive step did.
    const again = await run(SCRIPTS.enqueue, [file, '--mode', 'mirror', '--wait'], env);
    expect(again.code, again.stderr).to.equal(EXIT.ok);
    expect(again.stdout).to.include(
      `archive    ${mirror.removed.length} archived (limit 10 % of ${baseCount.toLocaleString('en-US')})`,
    );
    expect(await archivedDocs(db, report!.loadId)).to.have.length(mirror.removed.length);
    const merge = await run(SCRIPTS.enqueue, [file, '--wait'], env);
    expect(merge.code).to.equal(EXIT.badInput);
    expect(merge.stderr).to.include('was started with --mode mirror');
  });

  it('30 % removed: refused beyond --max-archive (exit 6, nothing moved), then moved with --confirm-archive', async function () {
    const before = await storedDocs(db);
    const file = join(dir, 'extract-2.csv');
    const mirror = writeMirrorFile(file, { docs: before }, { removeShare: 0.3, changeShare: 0, seed: 2 });
    const { code, stderr, report } = await enqueue(file, '--mode', 'mirror');
    expect(code, stderr).to.equal(EXIT.archiveRefused);
    expect(stderr).to.include(`--confirm-archive`);
    expect(report!.archive).to.deep.include({ stage: 'refused', archived: 0, wouldArchive: mirror.removed.length });
    expect(await storedDocs(db)).to.deep.equal(before);
    expect(await db.collection('patients_archive').countDocuments({ loadId: report!.loadId })).to.equal(0);
    const text = await run(SCRIPTS.status, [report!.loadId], env);
    expect(text.stdout).to.include(`REFUSED: ${mirror.removed.length.toLocaleString('en-US')} would be archived`);

    const confirmed = await run(
      SCRIPTS.enqueue,
      ['--load-id', report!.loadId, '--confirm-archive', '--wait', '--json'],
      env,
    );
    expect(confirmed.code, confirmed.stderr).to.equal(EXIT.ok);
    const after = JSON.parse(confirmed.stdout) as LoadReport;
    expect(after.archive).to.deep.include({ stage: 'done', archived: mirror.removed.length, confirmed: true });
    expect(await storedDocs(db)).to.deep.equal(mirror.docs);
    expect(await archivedDocs(db, report!.loadId)).to.deep.equal(mirror.removed);
  });

  it('a file whose every row is rejected archives nothing', async function () {
    const before = await storedDocs(db);
    const file = join(dir, 'all-rejected.csv');
    const bad = COLUMNS.map((c) => (c === 'Age' ? 'not a number' : 'x')).join(',');
    writeFileSync(file, `${COLUMNS.join(',')}\n${bad}\n${bad}\n`);
    const { code, report } = await enqueue(file, '--mode', 'mirror', '--max-reject-rate', '100%');
    expect(code).to.equal(EXIT.archiveRefused);
    expect(report!.archive).to.deep.include({ stage: 'refused', reason: 'no valid row', archived: 0 });
    expect(await storedDocs(db)).to.deep.equal(before);
    expect(await db.collection('patients_archive').countDocuments({ loadId: report!.loadId })).to.equal(0);
    // Not even when confirmed; --wait without --max-reject-rate says first that every row was rejected.
    const confirm = ['--load-id', report!.loadId, '--confirm-archive', '--wait'];
    expect((await run(SCRIPTS.enqueue, confirm, env)).code).to.equal(EXIT.tooManyRejects);
    expect((await run(SCRIPTS.enqueue, [...confirm, '--max-reject-rate', '100%'], env)).code).to.equal(
      EXIT.archiveRefused,
    );
    expect(await storedDocs(db)).to.deep.equal(before);
  });
});
