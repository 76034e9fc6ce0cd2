import { type Store, duplicateIndexes, type RejectDoc } from '@hcingest/shared';

/** Stores rejects idempotently: a retried chunk finds its rejects already there and moves on. */
export async function writeRejects(store: Store, rejects: RejectDoc[]): Promise<void> {
  if (rejects.length === 0) return;
  try {
    await store.rejects.insertMany(rejects, { ordered: false });
  } catch (err) {
    duplicateIndexes(err); // rethrows anything but duplicates
  }
}
