import { duplicateIndexes, type ArchivedDoc, type Store } from '@hcingest/shared';

/** What `restore` did with the admissions a mirror load archived. */
export interface RestoreCounts {
  /** put back into patients by this run */
  restored: number;
  /** left in the archive: a later load wrote the admission since (patients holds it, or a later mirror load archived it) */
  kept: number;
  /** put back by an earlier run (restoredAt set) */
  alreadyRestored: number;
}

/** Archive documents read, and admissions looked up, at a time: memory stays bounded at any size. */
export const RESTORE_BATCH = 1_000;

/**
 * Puts back into patients what mirror load `loadId` archived, batch by batch in `_id` order,
 * unless a later load wrote the admission since: patients already holds it with another version,
 * or a later mirror load archived a newer version of it (counted as kept, left in the archive).
 * Each admission put back gets `restoredAt` on its archive document, so that a second run
 * restores nothing. A run stopped between the insert and the mark is completed by the next one:
 * the document in patients is then the archived version itself.
 */
export async function restoreArchived(store: Store, loadId: string, batchSize = RESTORE_BATCH): Promise<RestoreCounts> {
  const counts: RestoreCounts = { restored: 0, kept: 0, alreadyRestored: 0 };
  counts.alreadyRestored = await store.archive.countDocuments({ loadId, restoredAt: { $exists: true } });
  const restoredAt = new Date();
  let last = '';
  for (;;) {
    const batch = await store.archive
      .find({ loadId, restoredAt: { $exists: false }, _id: { $gt: last } })
      .sort({ _id: 1 })
      .limit(batchSize)
      .toArray();
    if (batch.length === 0) return counts;
    last = batch[batch.length - 1]!._id;
    const { restored, kept } = await restoreBatch(store, batch, restoredAt);
    counts.restored += restored;
    counts.kept += kept;
  }
}

async function restoreBatch(
  store: Store,
  batch: ArchivedDoc[],
  restoredAt: Date,
): Promise<{ restored: number; kept: number }> {
  const { held, newer } = await writtenSince(store, batch);
  const fresh = batch.filter((a) => !newer.has(a.admissionId));
  // patients holding exactly the archived version: this restore's own copy, from a run stopped before marking.
  const own = fresh.filter((a) => held.has(a.admissionId));
  const missing = fresh.filter((a) => !held.has(a.admissionId));
  const refused = new Set<number>();
  if (missing.length > 0) {
    await store.patients
      .insertMany(
        missing.map((a) => a.doc),
        { ordered: false },
      )
      // Written by a load in the meantime: that write is kept.
      .catch((err: unknown) => duplicateIndexes(err).forEach((i) => refused.add(i)));
  }
  const put = [...own, ...missing.filter((_, i) => !refused.has(i))];
  if (put.length > 0) {
    await store.archive.updateMany({ _id: { $in: put.map((a) => a._id) } }, { $set: { restoredAt } });
  }
  return { restored: put.length, kept: batch.length - put.length };
}

/**
 * The batch's admissions written since they were archived (`newer`): patients holds another
 * version, or another mirror load archived a newer one. And those patients holds in exactly the
 * archived version (`held`).
 */
async function writtenSince(store: Store, batch: ArchivedDoc[]): Promise<{ held: Set<string>; newer: Set<string> }> {
  const versionOf = new Map(batch.map((a) => [a.admissionId, a.doc._ingest.version]));
  const ids = [...versionOf.keys()];
  const held = new Set<string>();
  const newer = new Set<string>();
  const inPatients = await store.patients
    .find({ _id: { $in: ids } }, { projection: { _id: 1, '_ingest.version': 1 } })
    .toArray();
  for (const p of inPatients) (p._ingest.version === versionOf.get(p._id) ? held : newer).add(p._id);
  const others = await store.archive
    .find(
      { admissionId: { $in: ids }, loadId: { $ne: batch[0]!.loadId } },
      { projection: { admissionId: 1, 'doc._ingest.version': 1 } },
    )
    .toArray();
  for (const o of others) if (o.doc._ingest.version > versionOf.get(o.admissionId)!) newer.add(o.admissionId);
  return { held, newer };
}
