import { archivedDocId, ROWS_PER_LOAD, type Store } from '@hcingest/shared';
import { AscendingIds } from './ascendingIds.js';

/** The mirror load whose archive step runs: its id and sequence number. */
export interface MirrorLoad {
  loadId: string;
  seq: number;
}

/** Ids per batch: each store operation of the step names at most this many documents. */
export const ARCHIVE_BATCH = 1000;

/** The version floor of a load: a document with a version at or above it was written by it or a later load. */
export const versionFloor = (seq: number) => seq * ROWS_PER_LOAD;

/** The admissions a mirror load's file holds (its `mirror_rows`), in ascending order. */
function mirrorRowsOf(store: Store, loadId: string, batch: number): AscendingIds {
  // Its ids are `${loadId}:${admissionId}`: one range of the _id index, in the admissions' order.
  const range = { $gte: archivedDocId(loadId, ''), $lt: `${loadId};` };
  const cursor = store.mirrorRows
    .find({ _id: range, loadId }, { projection: { _id: 1 }, batchSize: batch })
    .sort({ _id: 1 })
    .hint({ _id: 1 });
  return new AscendingIds(cursor, (d) => d._id.slice(loadId.length + 1));
}

/** Whether any load after the mirror load wrote marks (it found admissions unchanged, or changed them). */
async function laterMarksExist(store: Store, m: MirrorLoad): Promise<boolean> {
  return (await store.writeMarks.findOne({ seq: { $gt: m.seq } }, { projection: { _id: 1 } })) !== null;
}

/** Of a batch of ids, those a later load found unchanged (so it holds them without having written them). */
async function unchangedLater(store: Store, m: MirrorLoad, ids: string[]): Promise<Set<string>> {
  const kept = new Set<string>();
  const batch = new Set(ids);
  const marks = store.writeMarks.find(
    { unchanged: { $in: ids }, seq: { $gt: m.seq } },
    { projection: { unchanged: 1 } },
  );
  for await (const mark of marks) for (const id of mark.unchanged) if (batch.has(id)) kept.add(id);
  return kept;
}

/** What the step compares the collection with: the files of the load and of later mirror loads, and later marks. */
interface Contained {
  files: AscendingIds[];
  laterMarks: boolean;
}

async function openContained(store: Store, m: MirrorLoad, batch: number): Promise<Contained> {
  const laterMirrors = await store.loads
    .find({ mode: 'mirror', seq: { $gt: m.seq } }, { projection: { _id: 1 } })
    .toArray();
  return {
    files: [m.loadId, ...laterMirrors.map((l) => l._id)].map((loadId) => mirrorRowsOf(store, loadId, batch)),
    laterMarks: await laterMarksExist(store, m),
  };
}

/** Of a batch of ascending ids, those no file holds and no later load found unchanged. */
async function notContained(store: Store, m: MirrorLoad, c: Contained, ids: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const id of ids) {
    let held = false;
    for (const file of c.files) held = (await file.has(id)) || held;
    if (!held) out.push(id);
  }
  if (!c.laterMarks || out.length === 0) return out;
  const unchanged = await unchangedLater(store, m, out);
  return out.filter((id) => !unchanged.has(id));
}

/**
 * The admissions the mirror load archives, in full batches (ids only, never the documents): those
 * whose stored version is older than the load and that neither its file nor a later load
 * contains. A merge join: the collection's ids and each file's `mirror_rows`, all read in
 * ascending order through the _id indexes, one cursor batch of each at a time. Memory stays
 * bounded by twice the batch size and the work grows with the collection's size. Documents the
 * caller deletes meanwhile are not returned again, or are found gone by the move.
 */
export async function* archiveCandidates(store: Store, m: MirrorLoad, batch = ARCHIVE_BATCH): AsyncGenerator<string[]> {
  const contained = await openContained(store, m, batch);
  const cursor = store.patients
    .find({ '_ingest.version': { $lt: versionFloor(m.seq) } }, { projection: { _id: 1 }, batchSize: batch })
    .sort({ _id: 1 })
    .hint({ _id: 1 });
  try {
    // Ids read, and candidates found: each yielded batch is full but the last.
    let ids: string[] = [];
    const out: string[] = [];
    for await (const { _id } of cursor) {
      ids.push(_id);
      if (ids.length < batch) continue;
      out.push(...(await notContained(store, m, contained, ids)));
      ids = [];
      if (out.length >= batch) yield out.splice(0, batch);
    }
    out.push(...(ids.length > 0 ? await notContained(store, m, contained, ids) : []));
    while (out.length > 0) yield out.splice(0, batch);
  } finally {
    await Promise.all([cursor.close(), ...contained.files.map((f) => f.close())]);
  }
}

/** How many admissions the step would archive now. */
export async function countCandidates(store: Store, m: MirrorLoad, batch = ARCHIVE_BATCH): Promise<number> {
  let n = 0;
  for await (const ids of archiveCandidates(store, m, batch)) n += ids.length;
  return n;
}
