import { archivedDocId, ROWS_PER_LOAD, type ArchiveStage, type LoadDoc, type Store } from '@hcingest/shared';

/** `verify --archived`: what a mirror load archived, checked against the file and the store. */
export interface ArchivedCheck {
  loadId: string;
  /** the load's archive stage when checked */
  stage: ArchiveStage | null;
  /** documents of the load in the archive */
  archived: number;
  /** the count the load recorded (null until its step is done) */
  recorded: number | null;
  /** put back by restore since */
  restored: number;
  /** in patients again, written by a later load */
  writtenSince: number;
  /** archived although the file holds them: a difference */
  inFile: number;
  /** up to 10 rows of the file holding an archived admission (row numbers only) */
  inFileRows: number[];
  /** still in patients, neither restored nor written by a later load (nor held by the file: counted in inFile): a difference */
  inPatients: number;
  /** archive documents not of the shape the step writes (id, or a version the load may not archive): a difference */
  malformed: number;
  ok: boolean;
}

/** The load of `verify --archived` is no mirror load, or none of the file was found. */
export class NotMirrorLoadError extends Error {
  override name = 'NotMirrorLoadError';
}

const BATCH = 500;
const KEPT_ROWS = 10;

/** The load, when it is a mirror load: `verify --archived` has nothing to check otherwise. */
export function assertMirrorLoad(load: LoadDoc | null): LoadDoc {
  if (!load) throw new NotMirrorLoadError('no load of this file was found: give the mirror load with --load-id');
  if (load.mode !== 'mirror')
    throw new NotMirrorLoadError(`load "${load._id}" is not a mirror load: it archived nothing`);
  return load;
}

/**
 * Every admission mirror load `load` archived is absent from the file (`lastRow`: the file's
 * admissions and their stored rows), present in the archive as the step writes it, and absent
 * from patients unless restored since or written by a later load. Reads the archive in batches.
 */
export async function checkArchived(
  store: Store,
  load: LoadDoc | null,
  lastRow: ReadonlyMap<string, number>,
): Promise<ArchivedCheck> {
  const mirror = assertMirrorLoad(load);
  const check: ArchivedCheck = {
    loadId: mirror._id,
    stage: mirror.archive?.stage ?? null,
    archived: 0,
    recorded: mirror.archive?.stage === 'done' ? (mirror.archive.archived ?? null) : null,
    ...{ restored: 0, writtenSince: 0, inFile: 0, inFileRows: [], inPatients: 0, malformed: 0 },
    ok: false,
  };
  const cursor = store.archive
    .find(
      { loadId: mirror._id },
      { projection: { admissionId: 1, restoredAt: 1, 'doc._id': 1, 'doc._ingest.version': 1 } },
    )
    .sort({ _id: 1 })
    .batchSize(BATCH);
  let batch: Batch = [];
  for await (const a of cursor) {
    batch.push(a);
    if (batch.length >= BATCH) batch = await checkBatch(store, mirror, lastRow, batch, check);
  }
  if (batch.length > 0) await checkBatch(store, mirror, lastRow, batch, check);
  check.inFileRows.sort((x, y) => x - y);
  check.ok =
    check.inFile === 0 &&
    check.inPatients === 0 &&
    check.malformed === 0 &&
    (check.recorded === null || check.recorded === check.archived);
  return check;
}

type Batch = {
  _id: string;
  admissionId: string;
  restoredAt?: Date;
  doc: { _id: string; _ingest: { version: number } };
}[];

async function checkBatch(
  store: Store,
  load: LoadDoc,
  lastRow: ReadonlyMap<string, number>,
  batch: Batch,
  check: ArchivedCheck,
): Promise<Batch> {
  // The load archives what was written before it; a version at or above the next load's floor is a later write.
  const [floor, later] = [load.seq * ROWS_PER_LOAD, (load.seq + 1) * ROWS_PER_LOAD];
  const held = await store.patients
    .find({ _id: { $in: batch.map((a) => a.admissionId) } }, { projection: { _id: 1, '_ingest.version': 1 } })
    .toArray();
  const versionHeld = new Map(held.map((p) => [p._id, p._ingest.version]));
  for (const a of batch) {
    check.archived++;
    const shaped = a._id === archivedDocId(load._id, a.admissionId) && a.doc?._id === a.admissionId;
    if (!shaped || !(a.doc._ingest?.version < floor)) check.malformed++;
    const row = lastRow.get(a.admissionId);
    if (row !== undefined) {
      check.inFile++;
      if (check.inFileRows.length < KEPT_ROWS) check.inFileRows.push(row);
    }
    const version = versionHeld.get(a.admissionId);
    if (a.restoredAt) check.restored++;
    else if (version !== undefined && version >= later) check.writtenSince++;
    // One difference per admission: one the file holds is counted there.
    else if (version !== undefined && row === undefined) check.inPatients++;
  }
  return [];
}
