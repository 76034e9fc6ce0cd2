import { archiveAllowance, updateArchive, type LoadDoc, type Logger, type Store } from '@hcingest/shared';
import { ARCHIVE_BATCH, archiveCandidates, countCandidates, type MirrorLoad } from './archiveCandidates.js';
import { moveBatch } from './archiveMove.js';

/** Valid rows of a load: what its chunks read minus what they rejected. */
async function validRows(store: Store, loadId: string): Promise<number> {
  const results = await store.chunkResults.find({ loadId }, { projection: { counts: 1 } }).toArray();
  return results.reduce((sum, r) => sum + (r.counts.rows ?? 0) - (r.counts.rejected ?? 0), 0);
}

/**
 * The archive step proper, once its prerequisites are met and no later chunk writes: counts what
 * it would archive (the guard), refuses beyond the limit unless confirmed, else moves batch by
 * batch and records the count. Idempotent: what an interrupted run moved is counted from the
 * archive, and moving again copies nothing twice.
 */
export async function runArchiveStep(store: Store, load: LoadDoc, log: Logger, batch = ARCHIVE_BATCH): Promise<void> {
  const m: MirrorLoad = { loadId: load._id, seq: load.seq };
  const archive = load.archive!;
  if ((await validRows(store, m.loadId)) === 0) {
    // A file whose every row was rejected says nothing about what the collection should hold.
    await updateArchive(store, m.loadId, { stage: 'refused', reason: 'no valid row', finishedAt: new Date() });
    log.warn({ loadId: m.loadId }, 'archive refused: the file has no valid row');
    return;
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
    return;
  }
  await updateArchive(store, m.loadId, { wouldArchive, patients });
  const counted = Date.now();
  const at = new Date();
  for await (const ids of archiveCandidates(store, m, batch)) await moveBatch(store, m, ids, at);
  const archived = await store.archive.countDocuments({ loadId: m.loadId });
  await updateArchive(store, m.loadId, { stage: 'done', archived, finishedAt: new Date() });
  const ms = { countMs: counted - started, moveMs: Date.now() - counted };
  log.info({ loadId: m.loadId, archived, patients, ...ms }, 'archive step done');
}
