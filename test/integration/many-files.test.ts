import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db, MongoClient } from 'mongodb';
import { COLUMNS, csvField, type LoadReport } from '@hcingest/shared';
import { generate } from '../harness/expectations.js';
import { isolatedEnv, run, SCRIPTS, startWorker, type WorkerProcess } from '../harness/processes.js';
import { openDb } from '../harness/store.js';

describe('enqueue of several files or a directory: one load each, in order', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-many-'));
  const a = join(dir, 'a.csv');
  const b = join(dir, 'b.csv');
  let bRows: number;

  before(async function () {
    const expectedA = await generate(a, 800, 51);
    await generate(b, 600, 52);
    // B repeats one admission of A with another Billing Amount: whichever file comes later wins.
    const doc = expectedA.docs[0]!;
    const row = COLUMNS.map((c) => (c === 'Billing Amount' ? '777777.77' : doc[c] === null ? '' : String(doc[c])));
    const bLines = readFileSync(b, 'utf8').trimEnd().split('\n');
    writeFileSync(b, `${[...bLines, row.map(csvField).join(',')].join('\n')}\n`);
    bRows = 601; // B's 600 data rows plus the one from A (blank lines are no rows)
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Documents holding B's amount for the shared admission. */
  async function withBsAmount(env: NodeJS.ProcessEnv): Promise<number> {
    const { client, db } = await openDb(env);
    try {
      const docs = await db
        .collection('patients')
        .find({ 'Billing Amount': { $in: [777777.77] } })
        .toArray();
      return docs.length;
    } finally {
      await client.close();
    }
  }

  for (const order of [
    ['a', 'b'],
    ['b', 'a'],
  ] as const) {
    it(`loads ${order.join(' then ')}: an array of reports in that order, the later file winning`, async function () {
      const env = isolatedEnv(`many${order.join('')}`);
      const worker: WorkerProcess = await startWorker(env);
      try {
        const files = order.map((f) => (f === 'a' ? a : b));
        const r = await run(SCRIPTS.enqueue, [...files, '--wait', '--json', '--max-reject-rate', '1'], env);
        expect(r.code, r.stderr).to.equal(0);
        const reports = JSON.parse(r.stdout) as LoadReport[];
        expect(reports.map((x) => x.file)).to.deep.equal(order.map((f) => `${f}.csv`));
        expect(reports.map((x) => x.state)).to.deep.equal(['completed', 'completed']);
        expect(reports.map((x) => x.rowsRead)).to.deep.equal(order.map((f) => (f === 'a' ? 800 : bRows)));
        // B's amount stays only when B came last.
        expect(await withBsAmount(env)).to.equal(order[1] === 'b' ? 1 : 0);
      } finally {
        await worker.stop();
      }
    });
  }

  it('takes a directory: its *.csv files in name order, each a load; a bad file stops all before anything is written', async function () {
    const env = isolatedEnv('manydir');
    const sub = join(dir, 'drop');
    mkdirSync(sub);
    writeFileSync(join(sub, '2-second.csv'), readFileSync(b));
    writeFileSync(join(sub, '1-first.csv'), readFileSync(a));
    writeFileSync(join(sub, 'notes.txt'), 'not a data file');
    const listed = await run(SCRIPTS.enqueue, [sub, '--json'], env);
    expect(listed.code, listed.stderr).to.equal(0);
    const summaries = JSON.parse(listed.stdout) as { loadId: string; rowsRead: number }[];
    expect(summaries.map((s) => s.rowsRead)).to.deep.equal([800, bRows]);

    const bad = join(dir, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, '1-good.csv'), readFileSync(a));
    writeFileSync(join(bad, '2-bad.csv'), 'Name,Age\nx,1\n');
    const envBad = isolatedEnv('manybad');
    const refused = await run(SCRIPTS.enqueue, [bad], envBad);
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.include('2-bad.csv');
    const { client, db }: { client: MongoClient; db: Db } = await openDb(envBad);
    try {
      expect(await db.collection('loads').countDocuments(), 'no load recorded, not even the good file').to.equal(0);
    } finally {
      await client.close();
    }
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const none = await run(SCRIPTS.enqueue, [empty], envBad);
    expect(none.code).to.equal(2);
    expect(none.stderr).to.include('no *.csv or *.csv.gz file');
    expect((await run(SCRIPTS.enqueue, [a, b, '--load-id', 'x'], envBad)).code).to.equal(2);
    expect((await run(SCRIPTS.enqueue, [a, a], envBad)).code).to.equal(2);
  });
});
