import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadReport } from '@hcingest/shared';
import { byIdentity, generate, storedDocs } from '../harness/expectations.js';
import { isolatedEnv, run, SCRIPTS, startWorker } from '../harness/processes.js';
import { openDb } from '../harness/store.js';

describe('fault: loads racing each other', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-conc-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('two different files, and the same file twice, at once: exact, no duplicates', async function () {
    const [a, b] = [join(dir, 'a.csv'), join(dir, 'b.csv')];
    const [ea, eb] = await Promise.all([generate(a, 3000, 31), generate(b, 3000, 32)]);
    const env = isolatedEnv('conc');
    const workers = await Promise.all([1, 2].map(() => startWorker(env)));
    try {
      const args = (f: string) => [f, '--chunk-size', '250', '--wait', '--json'];
      const results = await Promise.all([
        run(SCRIPTS.enqueue, args(a), env),
        run(SCRIPTS.enqueue, args(b), env),
        run(SCRIPTS.enqueue, args(a), env),
      ]);
      for (const r of results) expect(r.code, r.stderr).to.equal(0);
      const [ra, rb, ra2] = results.map((r) => JSON.parse(r.stdout) as LoadReport) as [
        LoadReport,
        LoadReport,
        LoadReport,
      ];
      expect(ra2.loadId, 'the same file is the same load').to.equal(ra.loadId);
      expect(ra2).to.deep.equal(ra);
      expect(rb.loadId).to.not.equal(ra.loadId);
      for (const [r, e] of [
        [ra, ea],
        [rb, eb],
      ] as const) {
        expect(r).to.include({ state: 'completed', rowsRead: 3000, rejected: e.rejected, inserted: e.documents });
      }
      const { client, db } = await openDb(env);
      try {
        expect(await db.collection('loads').countDocuments()).to.equal(2);
        expect(await db.collection('chunk_results').countDocuments()).to.equal(24);
        expect(await storedDocs(db)).to.deep.equal([...ea.docs, ...eb.docs].sort(byIdentity));
      } finally {
        await client.close();
      }
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  });
});
