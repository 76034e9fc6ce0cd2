import {
  InputError,
  chunkJobOptions,
  getLoad,
  reopenArchive,
  requeueArchiveJob,
  type ChunkQueue,
  type Store,
} from '@hcingest/shared';
import type { ProducerConfig } from './settings.js';

/** What `enqueue --load-id L --confirm-archive` did. */
export type ConfirmOutcome = 'requeued' | 'already-done' | 'no-load';

/**
 * Runs the archive step of mirror load L even beyond its --max-archive: records the
 * confirmation, makes the step pending again and puts its job back on the queue. A load whose
 * step is done is left as it is.
 */
export async function confirmArchive(
  deps: { store: Store; queue: ChunkQueue; config: ProducerConfig },
  loadId: string,
): Promise<ConfirmOutcome> {
  const load = await getLoad(deps.store, loadId);
  if (!load) return 'no-load';
  if (load.mode !== 'mirror' || !load.archive) {
    throw new InputError(`load ${loadId} is no mirror load (--confirm-archive confirms a mirror load's archive step)`);
  }
  if (load.archive.stage === 'done') return 'already-done';
  if (load.archive.stage === 'pending' || load.archive.stage === 'running') {
    // Not yet counted, or counting now: recorded for this run (a running step stays running,
    // so later loads' chunks stay held); refused again only if it had already read the limit.
    await deps.store.loads.updateOne({ _id: loadId }, { $set: { 'archive.confirmed': true } });
  } else await reopenArchive(deps.store, loadId, true);
  await requeueArchiveJob(deps.queue, loadId, chunkJobOptions(deps.config));
  return 'requeued';
}
