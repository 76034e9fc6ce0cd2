import { archiveAllowance, updateArchive, type LoadDoc, type Logger, type Store } from '@hcingest/shared';
import { ARCHIVE_BATCH, archiveCandidates, countCandidates, type MirrorLoad } from './archiveCandidates.js';
import { moveBatch } from './archiveMove.js';

/** Valid rows of a load: what its chunks read minus what they rejected. */
async function validRows(store: Store, loadId: string): Promise<number> {
  const results = await store.chunkResults.find({ loadId }, { projection: { counts: 1 } }).toArray();
  return results.reduce((sum, r) => sum + (r.counts.rows ?? 0) - (r.counts.rejected ?? 0), 0);
}

/** How an archive step ended, and how long its two passes took. */
export interface ArchiveStepOutcome {
  stage: 'done' | 'refused';
  /** documents this load has in the archive (done), or would archive (refused) */
  archived: number;
  /** the count pass (the guard), in ms */
  countMs: number;
  /** the move pass, in ms (0 when refused) */
  moveMs: number;
}

/**
 * The archive step proper, once its prerequisites are met and no later chunk writes: counts what
 * it would archive (the guard), refuses beyond the limit unless confirmed, else moves batch by
 * batch and records the count. Idempotent: what an interrupted run moved is counted from the
 * archive, and moving again copies nothing twice.
 */
export async function runArchiveStep(
  store: Store,
  load: LoadDoc,
  log: Logger,
  batch = ARCHIVE_BATCH,
): Promise<ArchiveStepOutcome> {
  const m: MirrorLoad = { loadId: load._id, seq: load.seq };
  const archive = load.archive!;
  if ((await validRows(store, m.loadId)) === 0) {
    // A file whose every row was rejected says nothing about what the collection should hold.
    await updateArchive(store, m.loadId, { stage: 'refused', reason: 'no valid row', finishedAt: new Date() });
    log.warn({ loadId: m.loadId }, 'archive refused: the file has no valid row');
    return { stage: 'refused', archived: 0, countMs: 0, moveMs: 0 };
  }
  const started = Date.now();
  const already = await store.archive.countDocuments({ loadId: m.loadId });
  // The collection as it was before this step (what an interrupted run moved counted back in).
  const patients = (await store.patients.countDocuments({})) + already;
  const wouldArchive = already + (await countCandidates(store, m, batch));
  const allowed = archiveAllowance(archive.limit, patients);
  if (wouldArchive > allowed && !archive.confirmed) {
    await updateArchive(store, m.loadId, {
      stage: 'refused',
      reason: 'beyond --max-archive',
      wouldArchive,
      patients,
      finishedAt: new Date(),
    });
    log.warn({ loadId: m.loadId, wouldArchive, allowed }, 'archive refused: beyond --max-archive');
    return { stage: 'refused', archived: wouldArchive, countMs: Date.now() - started, moveMs: 0 };
  }
  await updateArchive(store, m.loadId, { wouldArchive, patients });
  const counted = Date.now();
  const at = new Date();
  for await (const ids of archiveCandidates(store, m, batch)) await moveBatch(store, m, ids, at);
  const archived = await store.archive.countDocuments({ loadId: m.loadId });
  await updateArchive(store, m.loadId, { stage: 'done', archived, finishedAt: new Date() });
  const ms = { countMs: counted - started, moveMs: Date.now() - counted };
  log.info({ loadId: m.loadId, archived, patients, ...ms }, 'archive step done');
  return { stage: 'done', archived, ...ms };
}
