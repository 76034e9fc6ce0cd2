import { archivedDocId, ROWS_PER_LOAD, type Store } from '@hcingest/shared';

/** The mirror load whose archive step runs: its id and sequence number. */
export interface MirrorLoad {
  loadId: string;
  seq: number;
}

/** Ids per batch: each store operation of the step names at most this many documents. */
export const ARCHIVE_BATCH = 1000;

/** The version floor of a load: a document with a version at or above it was written by it or a later load. */
export const versionFloor = (seq: number) => seq * ROWS_PER_LOAD;

/**
 * The admissions of a batch some load contains without having written them since: the mirror
 * load's own file (`mirror_rows`), and loads after it, which may have found an admission
 * unchanged (their write marks) or be mirror loads whose file has it.
 */
async function containedIn(store: Store, m: MirrorLoad, ids: string[], laterMirrors: string[]): Promise<Set<string>> {
  const kept = new Set<string>();
  for (const loadId of [m.loadId, ...laterMirrors]) {
    const rows = await store.mirrorRows
      .find({ _id: { $in: ids.map((id) => archivedDocId(loadId, id)) } }, { projection: { _id: 1 } })
      .toArray();
    for (const r of rows) kept.add(r._id.slice(loadId.length + 1));
  }
  const batch = new Set(ids);
  const marks = store.writeMarks.find(
    { unchanged: { $in: ids }, seq: { $gt: m.seq } },
    { projection: { unchanged: 1 } },
  );
  for await (const mark of marks) for (const id of mark.unchanged) if (batch.has(id)) kept.add(id);
  return kept;
}

/**
 * The admissions the mirror load archives, batch by batch in `_id` order (ids only, never the
 * documents): those whose stored version is older than the load and that neither its file nor
 * a later load contains. Memory stays bounded by the batch size whatever the collection's size.
 */
export async function* archiveCandidates(store: Store, m: MirrorLoad, batch = ARCHIVE_BATCH): AsyncGenerator<string[]> {
  const floor = versionFloor(m.seq);
  const laterMirrors = (
    await store.loads.find({ mode: 'mirror', seq: { $gt: m.seq } }, { projection: { _id: 1 } }).toArray()
  ).map((l) => l._id);
  let last: string | undefined;
  for (;;) {
    const page = await store.patients
      .find(
        { ...(last === undefined ? {} : { _id: { $gt: last } }), '_ingest.version': { $lt: floor } },
        { projection: { _id: 1 } },
      )
      .sort({ _id: 1 })
      .limit(batch)
      .toArray();
    if (page.length === 0) return;
    const ids = page.map((d) => d._id);
    last = ids[ids.length - 1];
    const kept = await containedIn(store, m, ids, laterMirrors);
    const out = ids.filter((id) => !kept.has(id));
    if (out.length > 0) yield out;
  }
}

/** How many admissions the step would archive now. */
export async function countCandidates(store: Store, m: MirrorLoad, batch = ARCHIVE_BATCH): Promise<number> {
  let n = 0;
  for await (const ids of archiveCandidates(store, m, batch)) n += ids.length;
  return n;
}
