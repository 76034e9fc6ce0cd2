import { archivedDocId, duplicateIndexes, type Store } from '@hcingest/shared';

/**
 * Inserts documents unordered, ignoring those already there (a retried step writes them again).
 * Anything else, a write concern error included, is thrown.
 */
export async function insertIgnoringDuplicates<T extends { _id: string }>(
  insert: (docs: T[]) => Promise<unknown>,
  docs: T[],
): Promise<void> {
  if (docs.length === 0) return;
  try {
    await insert(docs);
  } catch (err) {
    duplicateIndexes(err);
  }
}

/**
 * Records the admissions a chunk of a mirror load contains (`mirror_rows`), before the chunk is
 * accounted: its archive step keeps them.
 */
export async function recordMirrorRows(store: Store, loadId: string, admissionIds: readonly string[]): Promise<void> {
  const docs = [...new Set(admissionIds)].map((id) => ({ _id: archivedDocId(loadId, id), loadId }));
  await insertIgnoringDuplicates((d) => store.mirrorRows.insertMany(d, { ordered: false }), docs);
}
