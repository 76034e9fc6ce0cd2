import { archiveOpen, loadState, type LoadDoc, type LoadState, type Store } from '@hcingest/shared';

/** Whether the archive step of a mirror load may run now. */
export type Prerequisites =
  /** the load and every earlier load are finished */
  | 'ready'
  /** the load or an earlier one is still running (or an earlier mirror load's archive step) */
  | 'wait'
  /** the load ended with failed chunks: its file is not fully in the store, so nothing is archived */
  | 'load-failed';

/** A load's state, from its chunk results and failures (as the report derives it, by counting). */
async function stateOf(store: Store, load: Pick<LoadDoc, '_id' | 'chunksTotal'>): Promise<LoadState> {
  if (load.chunksTotal === null) return 'running';
  const completed = await store.chunkResults.countDocuments({ loadId: load._id });
  if (completed >= load.chunksTotal) return 'completed';
  const failures = await store.chunkFailures.find({ loadId: load._id }, { projection: { chunk: 1 } }).toArray();
  const done = await store.chunkResults
    .find({ loadId: load._id, chunk: { $in: failures.map((f) => f.chunk) } }, { projection: { chunk: 1 } })
    .toArray();
  return loadState(load.chunksTotal, completed, failures.length - done.length);
}

/**
 * Checked by the archive job each time it runs: every chunk of the load accounted, and every
 * earlier load of the store (they come before it in the load order) completed or failed, an
 * earlier mirror load's archive step settled too.
 */
export async function archivePrerequisites(store: Store, load: LoadDoc): Promise<Prerequisites> {
  const own = await stateOf(store, load);
  if (own === 'failed') return 'load-failed';
  if (own !== 'completed') return 'wait';
  const earlier = store.loads.find(
    { seq: { $lt: load.seq } },
    { projection: { _id: 1, chunksTotal: 1, mode: 1, archive: 1 } },
  );
  for await (const other of earlier) {
    const state = await stateOf(store, other);
    if (state === 'running') return 'wait';
    if (state === 'completed' && other.mode === 'mirror' && archiveOpen(other.archive)) return 'wait';
  }
  return 'ready';
}
