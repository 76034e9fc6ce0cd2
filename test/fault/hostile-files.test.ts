import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db, MongoClient } from 'mongodb';
import type { LoadReport } from '@hcingest/shared';
import { writeHostileFiles } from '../harness/hostileFiles.js';
import { isolatedEnv, run, SCRIPTS, startWorker, type WorkerProcess } from '../harness/processes.js';
import { openDb } from '../harness/store.js';

describe('fault: hostile files', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-hostile-'));
  const env = isolatedEnv('hostile');
  let worker: WorkerProcess;
  let client: MongoClient;
  let db: Db;
  const path = (name: string) => join(dir, name);
  const load = async (name: string, extra: string[] = []) => {
    // Hostile files are small: one rejected row is a large share, and not what these tests are about.
    const r = await run(
      SCRIPTS.enqueue,
      [path(name), '--wait', '--json', '--max-reject-rate', '1', ...extra],
      env,
      120_000,
    );
    return { ...r, report: r.code === 0 || r.code === 1 ? (JSON.parse(r.stdout) as LoadReport) : undefined };
  };
  const rejectsOf = async (loadId: string) =>
    (await db.collection('rejects').find({ loadId }).sort({ row: 1 }).toArray()).map((r) => ({
      row: r.row,
      reasons: r.reasons,
    }));

  before(async () => {
    writeHostileFiles(dir);
    worker = await startWorker(env);
    ({ client, db } = await openDb(env));
  });
  after(async () => {
    await worker.stop();
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an empty file, binary garbage and a NUL byte with clear errors, writing nothing', async function () {
    for (const [name, message] of [
      ['empty.csv', /is empty/],
      ['garbage.bin', /not valid UTF-8 text: first bad byte sequence at byte offset \d+/],
      ['nul-byte.csv', /NUL byte at offset \d+/],
    ] as const) {
      const r = await run(SCRIPTS.enqueue, [path(name)], env);
      expect(r.code, name).to.equal(2);
      expect(r.stderr, name).to.match(message);
    }
    expect(await db.collection('loads').countDocuments()).to.equal(0);
  });

  it('completes a header-only file as an empty load', async function () {
    const r = await load('header-only.csv');
    expect(r.code, r.stderr).to.equal(0);
    expect(r.report).to.include({ state: 'completed', rowsRead: 0, inserted: 0, rejected: 0 });
  });

  it('refuses a Latin-1 file with the offset of the first bad byte, and loads it with --encoding latin1', async function () {
    const refused = await run(SCRIPTS.enqueue, [path('latin1.csv')], env);
    expect(refused.code).to.equal(2);
    const offset = Buffer.from(`${(await import('@hcingest/shared')).COLUMNS.join(',')}\nJos`).length;
    expect(refused.stderr).to.include(`first bad byte sequence at byte offset ${offset}`);
    const r = await load('latin1.csv', ['--encoding', 'latin1']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.report).to.include({ inserted: 2, rejected: 0 });
    expect(await db.collection('patients').countDocuments({ Name: 'José García' })).to.equal(1);
    expect(await db.collection('patients').countDocuments({ Name: 'Renée Dupont' })).to.equal(1);
  });

  it('rejects the last row of a file ending inside an unbalanced quote, and loads the rest', async function () {
    const r = await load('unbalanced-quote.csv');
    expect(r.code, r.stderr).to.equal(0);
    expect(r.report).to.include({ rowsRead: 2, inserted: 1, rejected: 1 });
    expect(await rejectsOf(r.report!.loadId)).to.deep.equal([{ row: 2, reasons: ['row: wrong number of fields'] }]);
  });

  it('rejects a row with a 10 MB field precisely and keeps a bounded copy of it', async function () {
    const r = await load('huge-field.csv');
    expect(r.code, r.stderr).to.equal(0);
    expect(r.report).to.include({ rowsRead: 2, inserted: 1, rejected: 1 });
    const [reject] = await db.collection('rejects').find({ loadId: r.report!.loadId }).toArray();
    expect(reject!.reasons).to.deep.equal(['Name: is longer than 1000 characters']);
    expect((reject!.values as Record<string, string>).Name!.length).to.be.lessThan(3000);
  });

  it('loads a file of 10,000 columns, ignoring the extras with one warning', async function () {
    const r = await load('ten-thousand-columns.csv');
    expect(r.code, r.stderr).to.equal(0);
    expect(r.report).to.include({ rowsRead: 2, inserted: 2, rejected: 0 });
    expect(r.stderr.match(/extra columns are ignored/g)).to.have.length(1);
    expect(r.stderr).to.include('"count":9985');
  });

  it('stores a spreadsheet formula as plain text', async function () {
    const r = await load('formula.csv');
    expect(r.code, r.stderr).to.equal(0);
    const doc = await db.collection('patients').findOne({ Name: 'Hal Oz' });
    expect(doc!.Doctor).to.equal('=HYPERLINK("http://evil.example","click")');
  });
});
