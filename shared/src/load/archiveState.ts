import type { ArchiveStage, ArchiveState } from '../store/archiveDoc.js';
import type { Store } from '../store/collections.js';

/** Stages after which nothing more happens unless someone acts (confirm, retry). */
export const SETTLED_ARCHIVE_STAGES: readonly ArchiveStage[] = ['done', 'refused', 'failed'];

/** Whether a load's archive step (if it has one) is still to run or running. */
export function archiveOpen(archive: Pick<ArchiveState, 'stage'> | undefined): boolean {
  return archive !== undefined && !SETTLED_ARCHIVE_STAGES.includes(archive.stage);
}

type ArchiveFields = Partial<Omit<ArchiveState, 'limit'>>;

/** Sets fields of a mirror load's archive state (`archive.<field>`); no-op on a load without one. */
export async function updateArchive(store: Store, loadId: string, fields: ArchiveFields): Promise<void> {
  const set = Object.fromEntries(Object.entries(fields).map(([k, v]) => [`archive.${k}`, v]));
  await store.loads.updateOne({ _id: loadId, archive: { $exists: true } }, { $set: set });
}

/**
 * Makes a mirror load's archive step pending again (retry, or --confirm-archive which also
 * allows it beyond the limit). Returns false when the load is no mirror load.
 */
export async function reopenArchive(store: Store, loadId: string, confirm: boolean): Promise<boolean> {
  const r = await store.loads.updateOne(
    { _id: loadId, mode: 'mirror', archive: { $exists: true } },
    {
      $set: { 'archive.stage': 'pending', ...(confirm ? { 'archive.confirmed': true } : {}) },
      $unset: { 'archive.reason': '', 'archive.finishedAt': '' },
    },
  );
  return r.matchedCount > 0;
}
