import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadReport } from '@hcingest/shared';
import { isolatedEnv, ROOT, run, SCRIPTS, startWorker } from '../harness/processes.js';
import { openDb } from '../harness/store.js';

const PUBLIC = join(ROOT, '..', 'shared', 'data', 'healthcare_dataset_public_10k.csv');

describe('the public 10k healthcare dataset', function () {
  it('loads to exactly 10,000 documents and 0 rejects', async function () {
    if (!existsSync(PUBLIC)) {
      console.log(`      skipped: ${PUBLIC} is absent (it lives outside the repository on the team's machines)`);
      this.skip();
    }
    const env = isolatedEnv('public');
    const workers = await Promise.all([1, 2].map(() => startWorker(env)));
    try {
      const r = await run(SCRIPTS.enqueue, [PUBLIC, '--wait', '--json'], env);
      expect(r.code, r.stderr).to.equal(0);
      const report = JSON.parse(r.stdout) as LoadReport;
      expect(report).to.include({ state: 'completed', rowsRead: 10_000, rejected: 0, inserted: 10_000 });
      const { client, db } = await openDb(env);
      try {
        expect(await db.collection('patients').countDocuments()).to.equal(10_000);
        expect(await db.collection('rejects').countDocuments()).to.equal(0);
        // Quoted commas survive: hospitals such as "Burke, Griffin and Cooper". ($regex rather than
        // a /,/ literal: SecantusDB 0.7.0b3 matches a BSON regex on an indexed field as {$eq: {}}.)
        expect(await db.collection('patients').countDocuments({ Hospital: { $regex: ',' } })).to.be.greaterThan(3000);
      } finally {
        await client.close();
      }
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  });
});
