import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Db, MongoClient } from 'mongodb';
import type { Expected } from '@hcingest/generator';
import type { LoadDoc, LoadReport } from '@hcingest/shared';
import type { VerifyResult } from '@hcingest/ops';
import { generate } from '../harness/expectations.js';
import { isolatedEnv, run, SCRIPTS, startWorker, type WorkerProcess } from '../harness/processes.js';
import { openDb } from '../harness/store.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * A load is named by its file's content (the hash of the decompressed bytes): a file and its gzip
 * are one load, whichever is enqueued first, and verify of either finds it. verify tells "every
 * admission and reject matches" (exit 0) from "a difference" (1) and from "admissions match, but
 * no load of this file was found to compare the rejects with" (5).
 */
describe('content identity: a file and its gzip are one load; verify has three results', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-identity-'));
  const env = isolatedEnv('identity');
  const plain = join(dir, 'x.csv');
  const packed = join(dir, 'x.csv.gz');
  let expected: Expected;
  let text: Buffer;
  let loadId: string;
  let worker: WorkerProcess;
  let client: MongoClient;
  let db: Db;

  const verify = async (path: string, ...args: string[]) => {
    const r = await run(SCRIPTS.verify, [path, ...args, '--json'], env);
    return { ...r, result: r.stdout ? (JSON.parse(r.stdout) as VerifyResult) : undefined };
  };

  before(async function () {
    expected = await generate(plain, 1000, 61);
    text = readFileSync(plain);
    writeFileSync(packed, gzipSync(text));
    worker = await startWorker(env);
    ({ client, db } = await openDb(env));
  });
  after(async () => {
    await worker.stop();
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('enqueues x.csv.gz, then x.csv as the same load: named by the plain text, nothing new enqueued', async function () {
    const first = await run(SCRIPTS.enqueue, [packed, '--chunk-size', '250', '--wait', '--json'], env);
    expect(first.code, first.stderr).to.equal(0);
    const report = JSON.parse(first.stdout) as LoadReport;
    loadId = report.loadId;
    // The id a plain file always had: the hash of its bytes, which are its decompressed bytes.
    expect(loadId).to.equal(`L${sha256(text).slice(0, 16)}`);
    expect(report).to.include({ state: 'completed', inserted: expected.docs.length, rejected: expected.rejected });
    const doc = await db.collection<LoadDoc>('loads').findOne({ _id: loadId });
    expect(doc!.file).to.include({
      name: 'x.csv.gz',
      compression: 'gzip',
      sha256: sha256(readFileSync(packed)),
      contentSha256: sha256(text),
    });

    const again = await run(SCRIPTS.enqueue, [plain, '--chunk-size', '250', '--json'], env);
    expect(again.code, again.stderr).to.equal(0);
    expect(JSON.parse(again.stdout)).to.include({ loadId, chunksEnqueued: 0, chunksSkipped: 4 });
    expect(again.stderr).to.include(
      `enqueue: load ${loadId}: already enqueued as x.csv.gz (gzip; same content): nothing new to enqueue`,
    );
    expect(await db.collection('loads').countDocuments()).to.equal(1);
  });

  it('verify of x.csv and of x.csv.gz both find that load: OK, exit 0', async function () {
    for (const path of [plain, packed]) {
      const { code, stderr, result } = await verify(path);
      expect(code, stderr).to.equal(0);
      expect(result).to.include({
        result: 'OK',
        ok: true,
        contentSha256: sha256(text),
        matching: expected.docs.length,
      });
      expect(result!.load).to.deep.equal({ loadId, rejectedStored: expected.rejected, reasonsDiffer: [] });
    }
    const textual = await run(SCRIPTS.verify, [packed], env);
    expect(textual.stdout).to.include('result      OK: the store holds exactly what the file says');
  });

  it('the reverse: a plain file loaded with --load-id, then its gzip; verify finds the load by its content', async function () {
    const z = join(dir, 'z.csv');
    const zExpected = await generate(z, 400, 62);
    writeFileSync(`${z}.gz`, gzipSync(readFileSync(z)));
    const first = await run(SCRIPTS.enqueue, [z, '--load-id', 'other', '--wait', '--json'], env);
    expect(first.code, first.stderr).to.equal(0);

    const again = await run(SCRIPTS.enqueue, [`${z}.gz`, '--load-id', 'other'], env);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stderr).to.include(
      'enqueue: load other: already enqueued as z.csv (uncompressed; same content): nothing new to enqueue',
    );

    const { code, stderr, result } = await verify(`${z}.gz`);
    expect(code, stderr).to.equal(0);
    expect(result).to.include({ result: 'OK', matching: zExpected.docs.length });
    expect(result!.load).to.include({ loadId: 'other', rejectedStored: zExpected.rejected });
  });

  it('refuses another content under a recorded load id, as before', async function () {
    const r = await run(SCRIPTS.enqueue, [plain, '--load-id', 'other'], env);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include('load other was recorded for another file (z.csv, sha256 ');
  });

  describe('a file with the same rows but no load of its own (x.csv without its last newline)', function () {
    const other = join(dir, 'same-rows.csv');
    before(() => {
      expect(text[text.length - 1], 'the generated file ends with a newline').to.equal(0x0a);
      writeFileSync(other, text.subarray(0, text.length - 1));
    });

    it('admissions OK, rejects not compared: neither OK nor MISMATCH, exit 5; with --load-id, OK', async function () {
      const { code, stderr, result } = await verify(other);
      expect(code, stderr).to.equal(5);
      expect(result).to.include({ result: 'REJECTS_NOT_COMPARED', ok: false, load: null });
      expect(result).to.include({ matching: expected.docs.length, missing: 0, differing: 0 });
      const textual = await run(SCRIPTS.verify, [other], env);
      expect(textual.code).to.equal(5);
      expect(textual.stdout).to.include(
        'result      ADMISSIONS OK, REJECTS NOT COMPARED: no load of this file was found (give --load-id)',
      );

      const named = await verify(other, '--load-id', loadId);
      expect(named.code, named.stderr).to.equal(0);
      expect(named.result).to.include({ result: 'OK' });
    });

    it('an admission that differs too makes it a MISMATCH, exit 1', async function () {
      const patients = db.collection<{ _id: string }>('patients');
      const [a] = await patients.find({}).sort({ _id: 1 }).limit(1).toArray();
      await patients.updateOne({ _id: a!._id }, { $inc: { 'Billing Amount': 1 } });
      try {
        const { code, result } = await verify(other);
        expect(code).to.equal(1);
        expect(result).to.include({ result: 'MISMATCH', ok: false, differing: 1, load: null });
        const textual = await run(SCRIPTS.verify, [other], env);
        expect(textual.stdout).to.match(/result {6}MISMATCH\n$/);
      } finally {
        await patients.updateOne({ _id: a!._id }, { $inc: { 'Billing Amount': -1 } });
      }
    });
  });
});
