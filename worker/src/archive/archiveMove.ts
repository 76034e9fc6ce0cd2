import { archivedDocId, type ArchivedDoc, type Store } from '@hcingest/shared';
import { insertIgnoringDuplicates } from '../write/mirrorRows.js';
import { versionFloor, type MirrorLoad } from './archiveCandidates.js';

/**
 * Moves one batch of admissions to the archive: copies the documents still older than the load
 * (unordered; copies already there from an interrupted run are kept), then deletes them from
 * the collection under the same condition. Interrupted between the two, the next run copies
 * nothing new and deletes; after the delete, nothing is left to do for the batch.
 */
export async function moveBatch(store: Store, m: MirrorLoad, ids: readonly string[], at: Date): Promise<void> {
  const older = { _id: { $in: [...ids] }, '_ingest.version': { $lt: versionFloor(m.seq) } };
  const docs = await store.patients.find(older).toArray();
  const archived: ArchivedDoc[] = docs.map((doc) => ({
    _id: archivedDocId(m.loadId, doc._id),
    admissionId: doc._id,
    loadId: m.loadId,
    archivedAt: at,
    doc,
  }));
  await insertIgnoringDuplicates((d) => store.archive.insertMany(d, { ordered: false }), archived);
  await store.patients.deleteMany({ ...older, _id: { $in: docs.map((d) => d._id) } });
}
