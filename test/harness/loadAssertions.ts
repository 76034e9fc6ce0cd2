import { expect } from 'chai';
import type { Db } from 'mongodb';
import type { Expected } from '@hcingest/generator';
import type { LoadReport } from '@hcingest/shared';
import { byIdentity, rejectsByReason, storedDocs } from './expectations.js';
import { openDb } from './store.js';

/**
 * The exactness a load of a generated file must show, however it was disturbed: the report's
 * identity, the predicted documents, rejects and inserts, and every chunk accounted once.
 */
export async function expectExactLoad(db: Db, report: LoadReport, expected: Expected, chunks: number): Promise<void> {
  expect(report.state, JSON.stringify(report)).to.equal('completed');
  expect(report.rowsRead).to.equal(expected.rows);
  expect(
    report.rejected + report.inserted + report.updated + report.unchanged + report.superseded + report.stale,
  ).to.equal(expected.rows);
  expect(report.rejected).to.equal(expected.rejected);
  // A first load, whatever the number of workers and the order chunks finished in: one insert
  // per admission, every earlier row of an admission superseded, nothing else.
  expect(report).to.include({
    inserted: expected.documents,
    superseded: expected.superseded,
    updated: 0,
    unchanged: 0,
    stale: 0,
  });
  expect(report.chunks).to.include({ total: chunks, completed: chunks, failed: 0 });
  expect(await db.collection('chunk_results').countDocuments({ loadId: report.loadId })).to.equal(chunks);
  expect(await rejectsByReason(db, report.loadId)).to.deep.equal(expected.rejectsByReason);
  expect(await db.collection('patients').countDocuments()).to.equal(expected.documents);
  expect(await storedDocs(db)).to.deep.equal([...expected.docs].sort(byIdentity));
}

/** expectExactLoad on a fresh connection to the test's database. */
export async function expectExactLoadIn(
  env: NodeJS.ProcessEnv,
  report: LoadReport,
  expected: Expected,
  chunks: number,
): Promise<void> {
  const { client, db } = await openDb(env);
  try {
    await expectExactLoad(db, report, expected, chunks);
  } finally {
    await client.close();
  }
}
