import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Double, Int32, type Db, type MongoClient } from 'mongodb';
import type { Expected } from '@hcingest/producer/generate/generator';
import type { LoadReport } from '@hcingest/shared/load/report';
import { COLUMNS } from '@hcingest/shared/schema/columns';
import { byIdentity, generate, rejectsByReason, storedDocs } from '../harness/expectations.js';
import { isolatedEnv, run, SCRIPTS, startWorker, waitUntil, type WorkerProcess } from '../harness/processes.js';
import { openDb } from '../harness/store.js';

describe('pipeline: a generated dirty file through 3 worker processes', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-pipe-'));
  const file = join(dir, 'dirty.csv');
  const env = isolatedEnv('pipe');
  let expected: Expected;
  let workers: WorkerProcess[] = [];
  let report: LoadReport;
  let stdout: string;
  let client: MongoClient;
  let db: Db;

  before(async function () {
    expected = await generate(file, 4000, 11);
    workers = await Promise.all([1, 2, 3].map(() => startWorker(env)));
    const r = await run(SCRIPTS.enqueue, [file, '--chunk-size', '200', '--wait', '--json'], env);
    expect(r.code, r.stderr).to.equal(0);
    stdout = r.stdout;
    report = JSON.parse(r.stdout) as LoadReport;
    ({ client, db } = await openDb(env));
  });

  after(async function () {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await client?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints exactly one JSON document: the completed report', function () {
    expect(stdout.trim().split('\n')).to.have.length(1);
    expect(report.state).to.equal('completed');
    expect(report.chunks).to.deep.equal({ total: 20, completed: 20, failed: 0, pending: 0 });
    expect(report.finishedAt).to.be.a('string');
  });

  it("builds the patients' query indexes once this first load into an empty collection completed", async function () {
    const queryIndexes = ['medical_condition', 'date_of_admission', 'hospital', 'ingest_load'];
    const names = async () => (await db.collection('patients').listIndexes().toArray()).map((i) => String(i.name));
    await waitUntil(
      'the query indexes',
      async () => {
        const present = await names();
        return queryIndexes.every((n) => present.includes(n));
      },
      30_000,
    );
    expect(await names()).to.include.members(queryIndexes);
    const builders = workers.filter((w) => w.stderr().includes('building the query indexes'));
    expect(builders.length, 'built by the worker that accounted the last chunk').to.be.at.least(1);
    expect(workers.map((w) => w.stderr()).join('')).to.include('"query indexes built"');
  });

  it('accounts every row: rowsRead = rejected + inserted + updated + unchanged + stale', function () {
    expect(report.rowsRead).to.equal(4000);
    expect(report.rejected + report.inserted + report.updated + report.unchanged + report.stale).to.equal(4000);
  });

  it('rejects exactly the rows the generator made invalid, with their reasons', async function () {
    expect(report.rejected).to.equal(expected.rejected);
    expect(await rejectsByReason(db, report.loadId)).to.deep.equal(expected.rejectsByReason);
    const stored = await db.collection('rejects').find({ loadId: report.loadId }).sort({ row: 1 }).toArray();
    expect(stored.map((r) => ({ row: r.row as number, reasons: r.reasons as string[] }))).to.deep.equal(
      expected.rejects,
    );
  });

  it('counts one insert per admission and the rest as updated, unchanged or stale', async function () {
    expect(report.inserted).to.equal(expected.documents);
    expect(await db.collection('patients').countDocuments()).to.equal(expected.documents);
    // Which of updated/unchanged/stale a repeated admission gets depends on the order chunks
    // finish in; their sum does not.
    expect(report.updated + report.unchanged + report.stale).to.equal(expected.updated + expected.unchanged);
  });

  it('stores exactly the documents the generator predicts (later rows win)', async function () {
    expect(await storedDocs(db)).to.deep.equal([...expected.docs].sort(byIdentity));
  });

  it('stores the schema BSON types: int32, double or null, UTC dates, strings or null', async function () {
    const docs = await db.collection('patients').find({}, { promoteValues: false }).toArray();
    expect(docs).to.have.length(expected.documents);
    for (const d of docs) {
      expect(Object.keys(d).sort()).to.deep.equal([...COLUMNS, '_id', '_ingest'].sort());
      expect(d.Age).to.be.instanceOf(Int32);
      expect(d['Room Number']).to.be.instanceOf(Int32);
      if (d['Billing Amount'] !== null) expect(d['Billing Amount']).to.be.instanceOf(Double);
      expect(d['Date of Admission']).to.be.instanceOf(Date);
      expect((d['Date of Admission'] as Date).getUTCHours()).to.equal(0);
      if (d['Discharge Date'] !== null) expect(d['Discharge Date']).to.be.instanceOf(Date);
    }
    const wholeAmounts = docs.filter(
      (d) => d['Billing Amount'] instanceof Double && Number.isInteger(d['Billing Amount'].value),
    );
    expect(wholeAmounts.length, 'the dataset holds whole billing amounts').to.be.greaterThan(0);
    expect(docs.some((d) => d['Discharge Date'] === null)).to.equal(true);
    expect(docs.some((d) => d.Doctor === null)).to.equal(true);
  });

  it('resumes, not duplicates, when the same file is enqueued again', async function () {
    const r = await run(SCRIPTS.enqueue, [file, '--chunk-size', '200', '--json'], env);
    expect(r.code, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).to.include({ loadId: report.loadId, state: 'completed', rowsRead: 4000, chunksTotal: 20 });
    expect(out).to.include({ chunksEnqueued: 0, chunksSkipped: 20 }, 'every chunk was already accounted');
    expect(out.seconds).to.be.a('number');
    expect(await db.collection('loads').countDocuments()).to.equal(1);
    expect(await db.collection('chunk_results').countDocuments({ loadId: report.loadId })).to.equal(20);
  });

  it('loads the same file again as a new load: inserts 0, same documents', async function () {
    const r = await run(SCRIPTS.enqueue, [file, '--chunk-size', '200', '--new-load', '--wait', '--json'], env);
    expect(r.code, r.stderr).to.equal(0);
    const second = JSON.parse(r.stdout) as LoadReport;
    expect(second.loadId).to.not.equal(report.loadId);
    expect(second.state).to.equal('completed');
    expect(second.inserted).to.equal(0);
    expect(second.rejected).to.equal(expected.rejected);
    expect(second.updated + second.unchanged + second.stale).to.equal(4000 - expected.rejected);
    expect(await storedDocs(db)).to.deep.equal([...expected.docs].sort(byIdentity));
  });

  it('workers finish and exit 0 on SIGTERM', async function () {
    const codes = await Promise.all(workers.map((w) => w.stop('SIGTERM')));
    expect(codes).to.deep.equal([0, 0, 0]);
    for (const w of workers) expect(w.stderr()).to.include('"worker stopped"');
  });
});

describe('pipeline: one worker, one chunk at a time', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-seq-'));
  const file = join(dir, 'seq.csv');
  const env = isolatedEnv('seq');

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reports exactly the outcome counts of a sequential load', async function () {
    const expected = await generate(file, 2000, 5);
    const worker = await startWorker(env, ['--concurrency', '1']);
    try {
      const r = await run(SCRIPTS.enqueue, [file, '--chunk-size', '200', '--wait', '--json'], env);
      expect(r.code, r.stderr).to.equal(0);
      const report = JSON.parse(r.stdout) as LoadReport;
      expect({
        rejected: report.rejected,
        inserted: report.inserted,
        updated: report.updated,
        unchanged: report.unchanged,
        stale: report.stale,
      }).to.deep.equal({
        rejected: expected.rejected,
        inserted: expected.inserted,
        updated: expected.updated,
        unchanged: expected.unchanged,
        stale: 0,
      });
    } finally {
      await worker.stop();
    }
  });
});
