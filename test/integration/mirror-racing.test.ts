import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MongoClient, Db } from 'mongodb';
import type { ExpectedDoc } from '@hcingest/generator';
import { EXIT, type LoadReport } from '@hcingest/shared';
import { byIdentity, generate, storedDocs } from '../harness/expectations.js';
import { identityOf, overlay, writeMergeFile, writeMirrorFile } from '../harness/mirrorFile.js';
import { isolatedEnv, run, SCRIPTS, startWorker, type WorkerProcess } from '../harness/processes.js';
import { openDb } from '../harness/store.js';

/** One load of a race: its file and the options it is enqueued with. */
interface Racer {
  file: string;
  args: string[];
}

/**
 * Two loads of the same collection at once, after a base load: the first is enqueued (its chunks
 * start at once on two workers), the second right after it, while the first's chunks and archive
 * job are on the queue. The load order is the order they were recorded in.
 */
describe('mirror loads racing other loads: the final state is the sequential one for the load order', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-mirror-race-'));
  let base: ExpectedDoc[];
  let extra: ExpectedDoc[];
  before(async () => {
    base = [...(await generate(join(dir, 'base.csv'), 3000, 77)).docs].sort(byIdentity);
    extra = (await generate(join(dir, 'extra.csv'), 300, 78)).docs;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * Loads the base, then enqueues `first` and `second` with no worker running and starts two:
   * the second's chunks are taken while the first's last chunks and its archive job are in
   * flight. Returns the two reports and the database.
   */
  async function race(label: string, first: Racer, second: Racer) {
    const env = isolatedEnv(label, { WORKER_CONCURRENCY: '3', QUEUE_MAX_PENDING: '1000' });
    const opts = ['--chunk-size', '100'];
    let workers: WorkerProcess[] = [await startWorker(env)];
    try {
      expect((await run(SCRIPTS.enqueue, [join(dir, 'base.csv'), ...opts, '--wait'], env)).code).to.equal(EXIT.ok);
      await workers[0]!.stop();
      const ids: string[] = [];
      for (const r of [first, second]) {
        const one = await run(SCRIPTS.enqueue, [r.file, ...r.args, ...opts, '--json'], env);
        expect(one.code, one.stderr).to.equal(EXIT.ok);
        ids.push((JSON.parse(one.stdout) as { loadId: string }).loadId);
      }
      workers = await Promise.all([1, 2].map(() => startWorker(env)));
      const reports: LoadReport[] = [];
      for (const loadId of ids) {
        const waited = await run(SCRIPTS.status, [loadId, '--wait', '--json'], env);
        expect(waited.code, waited.stderr).to.equal(EXIT.ok);
        reports.push(JSON.parse(waited.stdout) as LoadReport);
      }
      const opened = await openDb(env);
      return { reports: reports as [LoadReport, LoadReport], ...opened };
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  }

  /** What a mirror load archived: each admission is absent from its file. */
  async function archivedBy(db: Db, loadId: string): Promise<Set<string>> {
    const docs = await db.collection('patients_archive').find({ loadId }).toArray();
    const day = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : d);
    return new Set(
      docs.map(({ doc }) => identityOf({ ...doc, 'Date of Admission': day(doc['Date of Admission']) } as ExpectedDoc)),
    );
  }

  async function check(client: MongoClient, work: () => Promise<void>) {
    try {
      await work();
    } finally {
      await client.close();
    }
  }

  const all = ['--max-archive', '100%'];

  it('a mirror, then a merge of an overlapping file', async function () {
    const m = writeMirrorFile(join(dir, 'm1.csv'), { docs: base }, { removeShare: 0.08, changeShare: 0.03, seed: 11 });
    const g = writeMergeFile(join(dir, 'g1.csv'), base, extra, { changeShare: 0.1, seed: 12 });
    const { reports, client, db } = await race(
      'mrace1',
      { file: join(dir, 'm1.csv'), args: ['--mode', 'mirror', ...all] },
      { file: join(dir, 'g1.csv'), args: [] },
    );
    await check(client, async () => {
      expect(await storedDocs(db)).to.deep.equal(overlay(m.docs, g));
      const archived = await archivedBy(db, reports[0].loadId);
      const inM = new Set(m.docs.map(identityOf));
      for (const id of archived) expect(inM.has(id)).to.equal(false);
      expect(reports[0].archive!.stage).to.equal('done');
    });
  });

  it('a merge of an overlapping file, then a mirror', async function () {
    const m = writeMirrorFile(join(dir, 'm2.csv'), { docs: base }, { removeShare: 0.08, changeShare: 0.03, seed: 21 });
    const g = writeMergeFile(join(dir, 'g2.csv'), base, extra, { changeShare: 0.1, seed: 22 });
    const { reports, client, db } = await race(
      'mrace2',
      { file: join(dir, 'g2.csv'), args: [] },
      { file: join(dir, 'm2.csv'), args: ['--mode', 'mirror', ...all] },
    );
    await check(client, async () => {
      expect(await storedDocs(db)).to.deep.equal(m.docs);
      // The merge came first: its own admissions the extract lacks are archived with the removed ones.
      const expected = overlay(base, g).filter((d) => !new Set(m.docs.map(identityOf)).has(identityOf(d)));
      expect([...(await archivedBy(db, reports[1].loadId))].sort()).to.deep.equal(expected.map(identityOf).sort());
    });
  });

  it('two mirrors of the same collection', async function () {
    const m1 = writeMirrorFile(join(dir, 'm3.csv'), { docs: base }, { removeShare: 0.06, changeShare: 0.03, seed: 31 });
    const m2 = writeMirrorFile(join(dir, 'm4.csv'), { docs: base }, { removeShare: 0.06, changeShare: 0.03, seed: 32 });
    const { reports, client, db } = await race(
      'mrace3',
      { file: join(dir, 'm3.csv'), args: ['--mode', 'mirror', ...all] },
      { file: join(dir, 'm4.csv'), args: ['--mode', 'mirror', ...all] },
    );
    await check(client, async () => {
      expect(await storedDocs(db)).to.deep.equal(m2.docs);
      const [a1, a2] = [await archivedBy(db, reports[0].loadId), await archivedBy(db, reports[1].loadId)];
      const [in1, in2] = [new Set(m1.docs.map(identityOf)), new Set(m2.docs.map(identityOf))];
      for (const id of a1) expect(in1.has(id)).to.equal(false);
      for (const id of a2) expect(in2.has(id)).to.equal(false);
      // Nothing lost: every admission of the base the second extract lacks is in an archive.
      for (const d of base)
        if (!in2.has(identityOf(d))) expect(a1.has(identityOf(d)) || a2.has(identityOf(d))).to.equal(true);
    });
  });
});
