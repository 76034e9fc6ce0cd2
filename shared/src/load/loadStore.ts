import type { Store } from '../store/collections.js';
import { isDuplicateKey } from '../store/errors.js';
import { chunkKey, ZERO_COUNTS, type Counts, type LoadDoc } from './loadDoc.js';
import { loadState } from './report.js';

export interface NewLoad {
  loadId: string;
  file: LoadDoc['file'];
  chunkSize: number;
}

/** Next value of a named sequence (atomic $inc; the first call creates it). */
async function nextSequence(store: Store, name: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      const doc = await store.counters.findOneAndUpdate(
        { _id: name },
        { $inc: { value: 1 } },
        { upsert: true, returnDocument: 'after' },
      );
      if (!doc) throw new Error(`sequence ${name} not returned`);
      return doc.value;
    } catch (err) {
      // Two first-time upserts can race on the same _id; the loser simply tries again.
      if (!isDuplicateKey(err) || attempt > 3) throw err;
    }
  }
}

/** Creates the load, or returns the existing one of that id (a resumed load). */
export async function createOrResumeLoad(store: Store, load: NewLoad): Promise<{ doc: LoadDoc; resumed: boolean }> {
  const existing = await store.loads.findOne({ _id: load.loadId });
  if (existing) return { doc: existing, resumed: true };
  const doc: LoadDoc = {
    _id: load.loadId,
    seq: await nextSequence(store, 'loadSeq'),
    file: load.file,
    chunkSize: load.chunkSize,
    startedAt: new Date(),
    chunksTotal: null,
    rowsRead: null,
    enqueuedAt: null,
    finishedAt: null,
    state: 'running',
    counts: { ...ZERO_COUNTS },
    chunksCompleted: 0,
    done: {},
    failed: {},
  };
  try {
    await store.loads.insertOne(doc);
    return { doc, resumed: false };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    // Another producer created it first: join that load.
    const winner = await store.loads.findOne({ _id: load.loadId });
    if (!winner) throw err;
    return { doc: winner, resumed: true };
  }
}

export async function getLoad(store: Store, loadId: string): Promise<LoadDoc | null> {
  return store.loads.findOne({ _id: loadId });
}

/** Records that the producer has split the whole file. */
export async function markEnqueued(store: Store, loadId: string, chunksTotal: number, rowsRead: number): Promise<void> {
  await store.loads.updateOne(
    { _id: loadId },
    { $set: { chunksTotal, rowsRead, enqueuedAt: new Date() } },
  );
  await settleState(store, loadId);
}

/**
 * Adds a chunk's counts to its load exactly once: the filter only matches while the chunk is
 * not yet accounted, so a retried or duplicated chunk cannot count twice.
 * Returns false when the chunk had already been accounted.
 */
export async function accountChunk(store: Store, loadId: string, chunk: number, counts: Counts): Promise<boolean> {
  const key = chunkKey(chunk);
  const inc = Object.fromEntries(Object.entries(counts).map(([k, v]) => [`counts.${k}`, v]));
  const result = await store.loads.updateOne(
    { _id: loadId, [`done.${key}`]: { $exists: false } },
    { $set: { [`done.${key}`]: counts }, $unset: { [`failed.${key}`]: '' }, $inc: { ...inc, chunksCompleted: 1 } },
  );
  if (result.matchedCount === 1) await settleState(store, loadId);
  return result.matchedCount === 1;
}

/** Records a chunk that exhausted its attempts (unless it was accounted meanwhile). */
export async function markChunkFailed(
  store: Store,
  loadId: string,
  chunk: number,
  error: string,
  attempts: number,
): Promise<void> {
  const key = chunkKey(chunk);
  await store.loads.updateOne(
    { _id: loadId, [`done.${key}`]: { $exists: false } },
    { $set: { [`failed.${key}`]: { error, attempts, at: new Date() } } },
  );
  await settleState(store, loadId);
}

/** Stores the state derived from the counts, stamping finishedAt when the load ends. */
async function settleState(store: Store, loadId: string): Promise<void> {
  const doc = await store.loads.findOne({ _id: loadId }, { projection: { done: 0 } });
  if (!doc) return;
  const state = loadState(doc);
  if (state === doc.state) return;
  await store.loads.updateOne(
    { _id: loadId, state: doc.state },
    { $set: { state, finishedAt: state === 'running' ? null : new Date() } },
  );
}
