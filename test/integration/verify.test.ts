import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db, MongoClient } from 'mongodb';
import type { Expected } from '@hcingest/generator';
import type { LoadReport } from '@hcingest/shared';
import type { VerifyResult } from '@hcingest/ops';
import { generate } from '../harness/expectations.js';
import { isolatedEnv, run, SCRIPTS, startWorker } from '../harness/processes.js';
import { openDb } from '../harness/store.js';

describe('verify: an independent audit of the store against the file', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-verify-'));
  const env = isolatedEnv('verify');
  const file = join(dir, 'admissions.csv');
  let expected: Expected;
  let report: LoadReport;
  let client: MongoClient;
  let db: Db;

  const verify = async (...args: string[]) => {
    const r = await run(SCRIPTS.verify, [file, ...args], env);
    return { ...r, result: args.includes('--json') ? (JSON.parse(r.stdout) as VerifyResult) : undefined };
  };

  before(async function () {
    expected = await generate(file, 2000, 43);
    const worker = await startWorker(env);
    try {
      const r = await run(SCRIPTS.enqueue, [file, '--chunk-size', '300', '--wait', '--json'], env);
      expect(r.code, r.stderr).to.equal(0);
      report = JSON.parse(r.stdout) as LoadReport;
    } finally {
      await worker.stop();
    }
    ({ client, db } = await openDb(env));
  });
  after(async () => {
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the store exactly as the file says after a load: exit 0', async function () {
    const { code, stdout, stderr, result } = await verify('--json');
    expect(code, stderr).to.equal(0);
    expect(result).to.include({
      rows: 2000,
      admissions: expected.docs.length,
      matching: expected.docs.length,
      missing: 0,
      differing: 0,
      rejectedInFile: expected.rejected,
      result: 'OK',
      ok: true,
    });
    expect(result!.load).to.deep.equal({ loadId: report.loadId, rejectedStored: expected.rejected, reasonsDiffer: [] });
    const text = await verify();
    expect(text.code).to.equal(0);
    expect(text.stdout).to.include('result      OK');
    expect(stdout).to.not.include(expected.docs[0]!.Name);
  });

  it('counts documents of no admission of the file only with --exact', async function () {
    await db.collection('patients').insertOne({ _id: 'from-another-file' as never, Name: 'Someone Else' });
    try {
      expect((await verify()).code).to.equal(0);
      const exact = await verify('--exact', '--json');
      expect(exact.code).to.equal(1);
      expect(exact.result).to.include({ extra: 1, ok: false });
    } finally {
      await db.collection('patients').deleteOne({ _id: 'from-another-file' as never });
    }
  });

  it('names what differs, a changed value or BSON type, a missing document, a lost reject, without patient values', async function () {
    const patients = db.collection<{ _id: string; Name: string }>('patients');
    const [a, b, c] = await patients.find({}).sort({ _id: 1 }).limit(3).toArray();
    await patients.updateOne({ _id: a!._id }, { $inc: { 'Billing Amount': 1 } });
    await patients.updateOne({ _id: b!._id }, [{ $set: { Age: { $toString: '$Age' } } }]); // same value, a string now
    await patients.deleteOne({ _id: c!._id });
    await db.collection('rejects').deleteOne({ loadId: report.loadId });

    const { code, stdout, result } = await verify('--json');
    expect(code).to.equal(1);
    expect(result).to.include({ missing: 1, differing: 2, result: 'MISMATCH', ok: false });
    expect(result!.differingFields.map((f) => f.field).sort()).to.deep.equal(['Age', 'Billing Amount']);
    expect(result!.load!.rejectedStored).to.equal(expected.rejected - 1);
    expect(result!.load!.reasonsDiffer).to.have.length.greaterThan(0);
    for (const doc of [a!, b!, c!]) expect(stdout).to.not.include(doc.Name);

    const text = await verify();
    expect(text.code).to.equal(1);
    expect(text.stdout).to.match(/admissions {2}[\d,]+ matching, 1 missing, 2 differing/);
    expect(text.stdout).to.include('differing   Age: 1 admission(s)');
    expect(text.stdout).to.include('result      MISMATCH');
    expect(text.stdout).to.not.include(a!.Name);

    const shown = await verify('--show-values');
    expect(shown.stdout).to.match(/value {7}row \d+ Age: file \d+ \(int\), stored "\d+" \(string\)/);
  });

  it('refuses a --load-id that names no load (exit 3) and a file it cannot read (exit 2)', async function () {
    const none = await verify('--load-id', 'no-such-load');
    expect(none.code).to.equal(3);
    expect(none.stderr).to.include('no load "no-such-load"');
    const missing = await run(SCRIPTS.verify, [join(dir, 'absent.csv')], env);
    expect(missing.code).to.equal(2);
  });
});
