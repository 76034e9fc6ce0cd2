import type { Store } from '../store/collections.js';
import { isDefaultFormats } from '../rules/rowFormats.js';
import { isDuplicateKey } from '../store/errors.js';
import { chunkDocId, type ChunkResultDoc, type Counts, type LoadDoc } from '../store/loadDoc.js';
import { toReport, type LoadReport } from './report.js';

export interface NewLoad {
  loadId: string;
  file: LoadDoc['file'];
  header?: string[];
  delimiter?: LoadDoc['delimiter'];
  encoding?: LoadDoc['encoding'];
  form?: LoadDoc['form'];
  /** recorded only when not the defaults */
  formats?: LoadDoc['formats'];
  chunkSize: number;
  /** mirror loads only (absent: merge) */
  mode?: LoadDoc['mode'];
  archive?: LoadDoc['archive'];
}

/**
 * Next load sequence number. It must only grow; it need not be gap-free. Taken as one more
 * than the highest recorded load, and made unique by inserting it as a claim into a unique _id:
 * a producer racing for the same number gets a duplicate key and takes the next one.
 */
async function nextLoadSeq(store: Store): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const [last] = await store.loadSeqs.find({}).sort({ _id: -1 }).limit(1).toArray();
    const seq = (last?._id ?? 0) + 1;
    try {
      await store.loadSeqs.insertOne({ _id: seq, at: new Date() });
      return seq;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  throw new Error('could not allocate a load sequence number');
}

/** Creates the load, or returns the existing one of that id (a resumed load). */
export async function createOrResumeLoad(store: Store, load: NewLoad): Promise<{ doc: LoadDoc; resumed: boolean }> {
  const existing = await store.loads.findOne({ _id: load.loadId });
  if (existing) return { doc: existing, resumed: true };
  const doc: LoadDoc = {
    _id: load.loadId,
    seq: await nextLoadSeq(store),
    file: load.file,
    ...(load.header ? { header: load.header } : {}),
    ...(load.delimiter ? { delimiter: load.delimiter } : {}),
    ...(load.encoding ? { encoding: load.encoding } : {}),
    ...(load.form ? { form: load.form } : {}),
    ...(load.formats && !isDefaultFormats(load.formats) ? { formats: load.formats } : {}),
    ...(load.mode === 'mirror' ? { mode: load.mode, ...(load.archive ? { archive: load.archive } : {}) } : {}),
    chunkSize: load.chunkSize,
    startedAt: new Date(),
    chunksTotal: null,
    rowsRead: null,
    enqueuedAt: null,
    producerSeenAt: new Date(),
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

/** Chunk indexes already accounted for a load. */
export async function completedChunks(store: Store, loadId: string): Promise<Set<number>> {
  const docs = await store.chunkResults.find({ loadId }, { projection: { chunk: 1 } }).toArray();
  return new Set(docs.map((d) => d.chunk));
}

/** A producer's heartbeat while it enqueues (tells a stopped producer from a slow one). */
export async function touchProducer(store: Store, loadId: string): Promise<void> {
  await store.loads.updateOne({ _id: loadId }, { $set: { producerSeenAt: new Date() } });
}

/** Records that the producer has split the whole file. */
export async function markEnqueued(store: Store, loadId: string, chunksTotal: number, rowsRead: number): Promise<void> {
  const now = new Date();
  // The first time only: a resumed load (the same file enqueued again) keeps the time it was
  // first split, so its report's finish time and rate stay those of the load.
  await store.loads.updateOne({ _id: loadId, enqueuedAt: null }, { $set: { chunksTotal, rowsRead, enqueuedAt: now } });
  await store.loads.updateOne({ _id: loadId }, { $set: { producerSeenAt: now } });
}

/**
 * Adds a chunk's counts to its load exactly once. Returns false when the chunk had already
 * been accounted (a retry after a crash, or a duplicate delivery): its counts are dropped.
 */
export async function accountChunk(
  store: Store,
  loadId: string,
  chunk: number,
  counts: Counts,
  normalizedColumns: ChunkResultDoc['normalizedColumns'] = {},
): Promise<boolean> {
  try {
    await store.chunkResults.insertOne({
      _id: chunkDocId(loadId, chunk),
      loadId,
      chunk,
      counts,
      normalizedColumns,
      at: new Date(),
    });
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
  return true;
}

/** Forgets chunk failures before they are retried, so the load reads as running again. */
export async function clearChunkFailures(store: Store, loadId: string, chunks: readonly number[]): Promise<void> {
  if (chunks.length === 0) return;
  await store.chunkFailures.deleteMany({ _id: { $in: chunks.map((c) => chunkDocId(loadId, c)) } });
}

/** Records a chunk that failed for good: it exhausted its attempts, or no attempt could succeed. */
export async function markChunkFailed(
  store: Store,
  loadId: string,
  chunk: number,
  error: string,
  attempts: number,
): Promise<void> {
  const _id = chunkDocId(loadId, chunk);
  await store.chunkFailures.replaceOne({ _id }, { loadId, chunk, error, attempts, at: new Date() }, { upsert: true });
}

/** The load report, or null when there is no such load. */
export async function readReport(store: Store, loadId: string): Promise<LoadReport | null> {
  const doc = await getLoad(store, loadId);
  if (!doc) return null;
  const [results, failures] = await Promise.all([
    store.chunkResults.find({ loadId }).toArray(),
    store.chunkFailures.find({ loadId }).toArray(),
  ]);
  return toReport(doc, results, failures);
}
