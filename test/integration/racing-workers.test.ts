import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Random } from '@hcingest/generator';
import { type LoadReport, COLUMNS } from '@hcingest/shared';
import { row } from '../harness/chunks.js';
import { isolatedEnv, run, SCRIPTS, startWorker } from '../harness/processes.js';
import { openDb } from '../harness/store.js';

/**
 * Many writers on the same few admissions at once: two files whose rows all repeat the same
 * admissions, in tiny chunks, loaded at the same time by three workers that each take eight
 * chunks at once. Every admission is written by dozens of chunks racing each other; the store
 * must end with exactly the row that a sequential load would have left (the last row of the
 * later load), and each report must account every row once. A store whose conditional writes
 * are not atomic (two racing version-conditional writes both winning) fails this.
 */

const letters = (i: number) => String.fromCharCode(65 + (i % 26)) + String.fromCharCode(97 + Math.floor(i / 26));
// A suffix keeps every name clear of the titles the rules keep as they are ("Md" would become "MD").
const nameOf = (admission: number) => `Racer ${letters(admission)}ey`;

interface RaceFile {
  path: string;
  rows: number;
  /** admission -> [row number, billing amount] of its last row in the file */
  last: Map<number, [number, number]>;
}

/** A file in which each of `admissions` appears `repeats` times, shuffled, with amounts 1..4. */
function raceFile(path: string, admissions: number[], repeats: number, seed: number): RaceFile {
  const random = new Random(seed);
  const rows = admissions.flatMap((a) => Array.from({ length: repeats }, () => a));
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  const last = new Map<number, [number, number]>();
  const lines = rows.map((a, i) => {
    const amount = 1 + Math.floor(random.next() * 4); // few values: many rows leave their admission unchanged
    last.set(a, [i + 1, amount]);
    return row(nameOf(a), String(amount));
  });
  writeFileSync(path, `${COLUMNS.join(',')}\n${lines.join('\n')}\n`);
  return { path, rows: rows.length, last };
}

describe('racing workers: many chunks writing the same admissions at once', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-race-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('ends with the sequential result and exact reports; a load alone counts the same whatever the order', async function () {
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
    // 100 admissions in both files, 20 only in the second: 1,500 and 1,800 rows in chunks of 5.
    const a = raceFile(join(dir, 'a.csv'), range(0, 100), 15, 7);
    const b = raceFile(join(dir, 'b.csv'), range(0, 120), 15, 8);
    // c: the admissions of a with other amounts, loaded alone afterwards.
    const c = raceFile(join(dir, 'c.csv'), range(0, 100), 15, 9);
    // Pinned: the adaptive limit would hold this store to 1-2 chunks at once, and the point is many.
    const env = isolatedEnv('race', { WORKER_CONCURRENCY: '8', GLOBAL_CONCURRENCY: '24' });
    const workers = await Promise.all([1, 2, 3].map(() => startWorker(env)));
    const load = async (...files: RaceFile[]) => {
      const results = await Promise.all(
        files.map((f) => run(SCRIPTS.enqueue, [f.path, '--chunk-size', '5', '--wait', '--json'], env)),
      );
      for (const r of results) expect(r.code, r.stderr).to.equal(0);
      return results.map((r) => JSON.parse(r.stdout) as LoadReport);
    };
    const { client, db } = await openDb(env);
    try {
      const [ra, rb] = (await load(a, b)) as [LoadReport, LoadReport];

      // The load recorded later wins wherever both files hold an admission.
      const seqs = new Map(
        (await db.collection<{ _id: string; seq: number }>('loads').find().toArray()).map((l) => [l._id, l.seq]),
      );
      const [first, second] = seqs.get(ra.loadId)! < seqs.get(rb.loadId)! ? [a, b] : [b, a];
      const loadOf = (f: RaceFile) => (f === a ? ra.loadId : rb.loadId);
      const expected = new Map<string, { loadId: string; row: number; amount: number }>();
      for (const f of [first, second]) {
        for (const [adm, [rowNo, amount]] of f.last)
          expected.set(nameOf(adm), { loadId: loadOf(f), row: rowNo, amount });
      }
      const stored = await db.collection('patients').find().toArray();
      const actual = new Map(
        stored.map((d) => [
          d.Name as string,
          {
            loadId: d._ingest.loadId as string,
            row: d._ingest.row as number,
            amount: (d['Billing Amount'] as { valueOf(): number }).valueOf(),
          },
        ]),
      );
      expect(stored).to.have.length(120);
      const sorted = (m: Map<string, unknown>) => Object.fromEntries([...m].sort(([x], [y]) => (x < y ? -1 : 1)));
      expect(sorted(actual)).to.deep.equal(sorted(expected));

      for (const [r, f] of [
        [ra, a],
        [rb, b],
      ] as const) {
        const chunks = f.rows / 5;
        expect(r).to.include({ state: 'completed', rowsRead: f.rows, rejected: 0 });
        expect(r.chunks).to.include({ total: chunks, completed: chunks, failed: 0 });
        expect(r.inserted + r.updated + r.unchanged + r.superseded + r.stale, 'every row once').to.equal(f.rows);
        expect(await db.collection('chunk_results').countDocuments({ loadId: r.loadId })).to.equal(chunks);
      }
      expect(ra.inserted + rb.inserted, 'one insert per admission').to.equal(120);

      // A load alone, its 300 chunks racing each other: its counts are those of the file against
      // the store before it. Each admission's last row in c is compared with the amount stored
      // before c; every other row of c is superseded.
      const [rc] = (await load(c)) as [LoadReport];
      let updated = 0;
      for (const [adm, [, amount]] of c.last) if (expected.get(nameOf(adm))!.amount !== amount) updated++;
      expect(rc).to.include({
        state: 'completed',
        rowsRead: c.rows,
        inserted: 0,
        updated,
        unchanged: 100 - updated,
        superseded: c.rows - 100,
        stale: 0,
      });
    } finally {
      await client.close();
      await Promise.all(workers.map((w) => w.stop()));
    }
  });
});
