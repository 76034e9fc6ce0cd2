import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MongoClient, Db } from 'mongodb';
import type { ExpectedDoc } from '@hcingest/generator';
import { EXIT, type LoadReport } from '@hcingest/shared';
import { byIdentity, generate, storedDocs } from '../harness/expectations.js';
import { identityOf, overlay, writeMergeFile, writeMirrorFile } from '../harness/mirrorFile.js';
import { isolatedEnv, run, SCRIPTS, startWorker, waitUntil, type WorkerProcess } from '../harness/processes.js';
import { openDb } from '../harness/store.js';

/** One load of a race: its file and the options it is enqueued with. */
interface Racer {
  file: string;
  args: string[];
}

/**
 * Two loads of the same collection at once, after a base load. Both producers are started with
 * no worker running and a queue that holds 3 chunks, so both wait for room; then two workers
 * start and take the two loads' chunks in turn, the first's archive job among them. The load
 * order is the order they were recorded in (the first is recorded before the second starts).
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

  /** Starts the enqueue of `r` and waits until its load is recorded (so its place in the load order is known). */
  async function startEnqueue(db: Db, env: NodeJS.ProcessEnv, r: Racer, opts: string[]) {
    const recorded = await db.collection('loads').countDocuments();
    const done = run(SCRIPTS.enqueue, [r.file, ...r.args, ...opts, '--json'], env);
    await waitUntil('the load recorded', async () => (await db.collection('loads').countDocuments()) > recorded);
    return { done };
  }

  /** Chunks of the second load accounted before the first load's last chunk, by the time each was accounted. */
  async function interleaved(db: Db, [first, second]: string[]): Promise<number> {
    const results = db.collection<{ loadId: string; at: Date }>('chunk_results');
    const last = await results.find({ loadId: first }).sort({ at: -1 }).limit(1).next();
    return results.countDocuments({ loadId: second, at: { $lt: last!.at } });
  }

  /** Loads the base, then races `first` and `second` (see above). Returns the two reports and the database. */
  async function race(label: string, first: Racer, second: Racer) {
    const env = isolatedEnv(label, { WORKER_CONCURRENCY: '3', QUEUE_MAX_PENDING: '3' });
    // Small chunks: even the smaller load has some 25, so that the two producers take turns.
    const opts = ['--chunk-size', '25'];
    let workers: WorkerProcess[] = [await startWorker(env)];
    const opened = await openDb(env);
    try {
      const loaded = await run(SCRIPTS.enqueue, [join(dir, 'base.csv'), '--chunk-size', '500', '--wait'], env);
      expect(loaded.code, loaded.stderr).to.equal(EXIT.ok);
      await workers[0]!.stop();
      const runs = [(await startEnqueue(opened.db, env, first, opts)).done];
      runs.push((await startEnqueue(opened.db, env, second, opts)).done);
      workers = await Promise.all([1, 2].map(() => startWorker(env)));
      const ids: string[] = [];
      for (const one of await Promise.all(runs)) {
        expect(one.code, one.stderr).to.equal(EXIT.ok);
        ids.push((JSON.parse(one.stdout) as { loadId: string }).loadId);
      }
      const reports: LoadReport[] = [];
      for (const loadId of ids) {
        const waited = await run(SCRIPTS.status, [loadId, '--wait', '--json'], env);
        expect(waited.code, waited.stderr).to.equal(EXIT.ok);
        reports.push(JSON.parse(waited.stdout) as LoadReport);
      }
      // The two loads' chunks were written in turn, not one load after the other.
      expect(await interleaved(opened.db, ids)).to.be.greaterThan(0);
      return { reports: reports as [LoadReport, LoadReport], ...opened };
    } catch (err) {
      await opened.client.close();
      throw err;
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  }

  const day = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : d);

  /** What a mirror load archived: each admission's identity, with the document as the archive holds it. */
  async function archivedBy(db: Db, loadId: string): Promise<Map<string, ExpectedDoc>> {
    const docs = await db.collection('patients_archive').find({ loadId }).toArray();
    return new Map(
      docs.map(({ doc }) => {
        const { _id: _ignored, _ingest: _meta, ...fields } = doc as Record<string, unknown>;
        const d = {
          ...fields,
          'Date of Admission': day(fields['Date of Admission']),
          'Discharge Date': day(fields['Discharge Date']),
        } as unknown as ExpectedDoc;
        return [identityOf(d), d];
      }),
    );
  }

  /** The documents of `docs` whose identity `archived` holds, as they were: what the archive must hold. */
  const asTheyWere = (docs: readonly ExpectedDoc[], archived: Map<string, ExpectedDoc>) =>
    docs.filter((d) => archived.has(identityOf(d))).sort(byIdentity);
  const sortedValues = (m: Map<string, ExpectedDoc>) => [...m.values()].sort(byIdentity);
  const ids = (docs: readonly ExpectedDoc[]) => new Set(docs.map(identityOf));

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
      // The base's documents as they were, each absent from the extract; all those the merge does
      // not hold either (the merge's may have been written before the step, and are then kept).
      const archived = await archivedBy(db, reports[0].loadId);
      expect(sortedValues(archived)).to.deep.equal(asTheyWere(base, archived));
      const [inM, inG] = [ids(m.docs), ids(g)];
      for (const id of archived.keys()) expect(inM.has(id)).to.equal(false);
      for (const d of base)
        if (!inM.has(identityOf(d)) && !inG.has(identityOf(d))) expect(archived.has(identityOf(d))).to.equal(true);
      expect(reports[0].archive).to.deep.include({ stage: 'done', archived: archived.size });
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
      // The merge came first: its own admissions the extract lacks are archived with the removed
      // ones, each as the merge left it.
      const inM = ids(m.docs);
      const expected = overlay(base, g).filter((d) => !inM.has(identityOf(d)));
      expect(sortedValues(await archivedBy(db, reports[1].loadId))).to.deep.equal(expected);
      expect(reports[1].archive).to.deep.include({ stage: 'done', archived: expected.length });
    });
  });

  it('two mirrors of the same collection: each archive exact', async function () {
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
      const [in1, in2] = [ids(m1.docs), ids(m2.docs)];
      // The first: base documents as they were, absent from its extract; all those neither extract
      // holds (those only the second holds may be archived, the second then writes them back).
      expect(sortedValues(a1)).to.deep.equal(asTheyWere(base, a1));
      for (const id of a1.keys()) expect(in1.has(id)).to.equal(false);
      for (const d of base)
        if (!in1.has(identityOf(d)) && !in2.has(identityOf(d))) expect(a1.has(identityOf(d))).to.equal(true);
      // The second: exactly what the first left that its extract lacks, as the first left it.
      const left = overlay(base, m1.docs).filter((d) => !in2.has(identityOf(d)) && !a1.has(identityOf(d)));
      expect(sortedValues(a2)).to.deep.equal(left);
      expect(reports.map((r) => r.archive!.archived)).to.deep.equal([a1.size, a2.size]);
    });
  });
});
