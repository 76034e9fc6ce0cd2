import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Double, Int32, type Db, type MongoClient } from 'mongodb';
import type { Expected } from '@hcingest/generator';
import { type LoadReport, COLUMNS, csvField } from '@hcingest/shared';
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

  describe('the first load: report, indexes and stored documents', function () {
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
      // The store lists the indexes as soon as they are built; the worker logs it just after.
      const logged = () => workers.map((w) => w.stderr()).join('');
      await waitUntil('the worker to log the build', () => logged().includes('"query indexes built"'), 30_000);
      expect(logged()).to.include('"query indexes built"');
    });

    it('accounts every row: rowsRead = rejected + inserted + updated + unchanged + superseded + stale', function () {
      expect(report.rowsRead).to.equal(4000);
      expect(
        report.rejected + report.inserted + report.updated + report.unchanged + report.superseded + report.stale,
      ).to.equal(4000);
    });

    it('rejects exactly the rows the generator made invalid, with their reasons', async function () {
      expect(report.rejected).to.equal(expected.rejected);
      expect(await rejectsByReason(db, report.loadId)).to.deep.equal(expected.rejectsByReason);
      const stored = await db.collection('rejects').find({ loadId: report.loadId }).sort({ row: 1 }).toArray();
      expect(stored.map((r) => ({ row: r.row as number, reasons: r.reasons as string[] }))).to.deep.equal(
        expected.rejects,
      );
    });

    it('counts one insert per admission and every earlier row of an admission as superseded, whatever the order', async function () {
      expect(await db.collection('patients').countDocuments()).to.equal(expected.documents);
      // 3 workers took the chunks in any order: the counts are those of the file, not of the order.
      expect(report).to.include({
        inserted: expected.documents,
        superseded: expected.superseded,
        updated: 0,
        unchanged: 0,
        stale: 0,
      });
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
  });

  describe('the same file again, and a changed one', function () {
    it('resumes, not duplicates, when the same file is enqueued again', async function () {
      const r = await run(SCRIPTS.enqueue, [file, '--chunk-size', '200', '--json'], env);
      expect(r.code, r.stderr).to.equal(0);
      const out = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(out).to.include({ loadId: report.loadId, state: 'completed', rowsRead: 4000, chunksTotal: 20 });
      expect(out).to.include({ chunksEnqueued: 0, chunksSkipped: 20 }, 'every chunk was already accounted');
      expect(r.stderr).to.include(`load ${report.loadId}: this file was already enqueued (same content): nothing new`);
      expect(out.seconds).to.be.a('number');
      expect(await db.collection('loads').countDocuments()).to.equal(1);
      expect(await db.collection('chunk_results').countDocuments({ loadId: report.loadId })).to.equal(20);
      // The completed load's report is as it was: enqueueing it again does not move its times
      // (only the producer's heartbeat, which says a producer looked at it).
      const status = await run(SCRIPTS.status, [report.loadId, '--json'], env);
      const { producerSeenAt: _seen, ...now } = JSON.parse(status.stdout) as LoadReport;
      const { producerSeenAt: _before, ...then } = report;
      expect(now).to.deep.equal(then);
    });

    it('loads the same file again as a new load: 0 inserted, 0 updated, every admission unchanged', async function () {
      const r = await run(SCRIPTS.enqueue, [file, '--chunk-size', '200', '--new-load', '--wait', '--json'], env);
      expect(r.code, r.stderr).to.equal(0);
      const second = JSON.parse(r.stdout) as LoadReport;
      expect(second.loadId).to.not.equal(report.loadId);
      expect(second).to.include({
        state: 'completed',
        rejected: expected.rejected,
        inserted: 0,
        updated: 0,
        unchanged: expected.documents,
        superseded: expected.superseded,
        stale: 0,
      });
      expect(await storedDocs(db)).to.deep.equal([...expected.docs].sort(byIdentity));
    });

    it('reports exactly 1 updated for a file whose one admission changed', async function () {
      // The file again, plus one last row for an admission with another billing amount: the one
      // real change; the row it replaces in the file is superseded.
      const doc = expected.docs[Math.floor(expected.docs.length / 2)]!;
      const changed = { ...doc, 'Billing Amount': (doc['Billing Amount'] ?? 0) + 1.5 };
      const line = COLUMNS.map((c) => csvField(changed[c] === null ? '' : String(changed[c]))).join(',');
      const edited = join(dir, 'edited.csv');
      writeFileSync(edited, `${readFileSync(file, 'utf8')}${line}\n`);
      const r = await run(SCRIPTS.enqueue, [edited, '--chunk-size', '200', '--wait', '--json'], env);
      expect(r.code, r.stderr).to.equal(0);
      expect(JSON.parse(r.stdout) as LoadReport).to.include({
        rowsRead: 4001,
        inserted: 0,
        updated: 1,
        unchanged: expected.documents - 1,
        superseded: expected.superseded + 1,
        stale: 0,
      });
      const stored = await db.collection('patients').findOne({ Name: doc.Name, Hospital: doc.Hospital });
      expect(stored?.['Billing Amount']).to.equal(changed['Billing Amount']);
    });
  });

  describe('stopping', function () {
    it('workers finish and exit 0 on SIGTERM', async function () {
      const codes = await Promise.all(workers.map((w) => w.stop('SIGTERM')));
      expect(codes).to.deep.equal([0, 0, 0]);
      for (const w of workers) expect(w.stderr()).to.include('"worker stopped"');
    });
  });
});

describe('pipeline: one worker, one chunk at a time', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-seq-'));
  const file = join(dir, 'seq.csv');
  const env = isolatedEnv('seq');

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reports the same outcome counts as any number of workers', async function () {
    const expected = await generate(file, 2000, 5);
    const worker = await startWorker(env, ['--concurrency', '1']);
    try {
      const r = await run(SCRIPTS.enqueue, [file, '--chunk-size', '200', '--wait', '--json'], env);
      expect(r.code, r.stderr).to.equal(0);
      const report = JSON.parse(r.stdout) as LoadReport;
      expect(report).to.include({
        rejected: expected.rejected,
        inserted: expected.inserted,
        superseded: expected.superseded,
        updated: 0,
        unchanged: 0,
        stale: 0,
      });
    } finally {
      await worker.stop();
    }
  });
});
