import { MongoClient, type Collection, type Db, type MongoClientOptions, type WriteConcernSettings } from 'mongodb';
import type { Config } from '../config/sharedSchema.js';
import type { ArchivedDoc, MirrorRowDoc } from './archiveDoc.js';
import type { ChunkFailureDoc, ChunkResultDoc, LoadDoc } from './loadDoc.js';
import type { PatientDoc } from './patientDoc.js';
import type { RejectDoc } from './rejectDoc.js';
import type { ReplacementDoc } from './replacementDoc.js';
import type { WriteMarkDoc } from './writeMarkDoc.js';
import { retryTransient } from './retry.js';

export interface Store {
  client: MongoClient;
  db: Db;
  patients: Collection<PatientDoc>;
  rejects: Collection<RejectDoc>;
  loads: Collection<LoadDoc>;
  chunkResults: Collection<ChunkResultDoc>;
  chunkFailures: Collection<ChunkFailureDoc>;
  loadSeqs: Collection<{ _id: number; at: Date }>;
  writeMarks: Collection<WriteMarkDoc>;
  replacements: Collection<ReplacementDoc>;
  /** admissions mirror loads moved out of patients (ARCHIVE_COLLECTION_NAME) */
  archive: Collection<ArchivedDoc>;
  /** the admissions each mirror load's file contains */
  mirrorRows: Collection<MirrorRowDoc>;
}

/**
 * The write concern of every write, from MONGO_WRITE_CONCERN. A chunk job completes only after
 * its writes are acknowledged this way, so "journaled" (the default) means that nothing a
 * completed chunk wrote is lost when the server crashes, and "majority" that it also survives
 * the loss of a replica set's primary.
 */
export function writeConcernOf(setting: Config['MONGO_WRITE_CONCERN']): WriteConcernSettings {
  switch (setting) {
    case 'majority':
      return { w: 'majority', journal: true };
    case 'acknowledged':
      return { w: 1, journal: false };
    default:
      return { w: 1, journal: true };
  }
}

/** Connects to MongoDB. The driver retries reads and writes once on transient errors by itself. */
export async function connectStore(
  config: Pick<
    Config,
    | 'MONGO_URL'
    | 'DB_NAME'
    | 'COLLECTION_NAME'
    | 'ARCHIVE_COLLECTION_NAME'
    | 'MONGO_WRITE_CONCERN'
    | 'CONNECT_TIMEOUT_MS'
    | 'MONGO_SOCKET_TIMEOUT_MS'
  >,
  appName: string,
  /** extra driver options (tests watch the commands sent with monitorCommands) */
  options: MongoClientOptions = {},
): Promise<Store> {
  const client = new MongoClient(config.MONGO_URL, {
    ...options,
    appName,
    serverSelectionTimeoutMS: config.CONNECT_TIMEOUT_MS,
    // A new connection's handshake (and the monitor's check) gets as long; the driver's 30 s
    // default would add up to a minute to an attempt on a silent connection.
    connectTimeoutMS: config.CONNECT_TIMEOUT_MS,
    // Without it a reply lost on a silent connection is waited for forever (a hung chunk write).
    socketTimeoutMS: config.MONGO_SOCKET_TIMEOUT_MS,
    retryWrites: true,
    retryReads: true,
    writeConcern: writeConcernOf(config.MONGO_WRITE_CONCERN),
  });
  try {
    await client.connect();
  } catch (err) {
    await client.close().catch(() => undefined);
    throw err;
  }
  const db = client.db(config.DB_NAME);
  return {
    client,
    db,
    patients: db.collection<PatientDoc>(config.COLLECTION_NAME),
    rejects: db.collection<RejectDoc>('rejects'),
    loads: db.collection<LoadDoc>('loads'),
    chunkResults: db.collection<ChunkResultDoc>('chunk_results'),
    chunkFailures: db.collection<ChunkFailureDoc>('chunk_failures'),
    loadSeqs: db.collection<{ _id: number; at: Date }>('load_seqs'),
    writeMarks: db.collection<WriteMarkDoc>('write_marks'),
    replacements: db.collection<ReplacementDoc>('replacements'),
    archive: db.collection<ArchivedDoc>(config.ARCHIVE_COLLECTION_NAME),
    mirrorRows: db.collection<MirrorRowDoc>('mirror_rows'),
  };
}

/** What `ensureIndexes` did about the patients' query indexes. */
export type QueryIndexes = 'present' | 'deferred';

/**
 * Creates the indexes, idempotently and retried on connection errors (several processes
 * starting at once may race here): the report's always (every --wait, status and the dashboard
 * read them), and the patients' query indexes once the collection exists, or at once with
 * QUERY_INDEXES=upfront. Before the first write to it they are deferred by default: a first bulk
 * load runs much faster without them, and building them afterwards costs less than maintaining
 * them during the load (docs/design.md, "Indexes"); the workers build them when that load completes
 * (worker queryIndexes). A store whose index build blocks every other operation (the test
 * server, for minutes at 1,000,000 rows) takes them upfront instead.
 */
export async function ensureIndexes(
  store: Store,
  queryIndexes: Config['QUERY_INDEXES'] = 'deferred',
): Promise<QueryIndexes> {
  return retryTransient(async () => {
    await store.rejects.createIndex({ loadId: 1, row: 1 }, { name: 'load_row' });
    await store.chunkResults.createIndex({ loadId: 1 }, { name: 'load' });
    await store.chunkFailures.createIndex({ loadId: 1 }, { name: 'load' });
    await store.writeMarks.createIndexes(WRITE_MARK_INDEXES.map(({ key, name }) => ({ key, name })));
    await store.replacements.createIndexes(REPLACEMENT_INDEXES.map(({ key, name }) => ({ key, name })));
    await store.archive.createIndexes(ARCHIVE_INDEXES.map(({ key, name }) => ({ key, name })));
    await store.mirrorRows.createIndexes(MIRROR_ROW_INDEXES.map(({ key, name }) => ({ key, name })));
    if (queryIndexes === 'deferred' && !(await exists(store, store.patients))) return 'deferred';
    await ensureQueryIndexes(store);
    return 'present';
  });
}

/**
 * Whether anything was ever written to a collection: MongoDB creates it on the first write, and
 * nothing here creates `patients` otherwise. listCollections is allowed to every account of the
 * deployment, the admin's included (which may not read data).
 */
async function exists(store: Store, coll: Collection<PatientDoc>): Promise<boolean> {
  return (await store.db.listCollections({ name: coll.collectionName }, { nameOnly: true }).toArray()).length > 0;
}

/** Indexes of `write_marks`: an admission's marks, by kind, and the sweep by load sequence. */
export const WRITE_MARK_INDEXES = [
  { key: { unchanged: 1 }, name: 'unchanged' },
  { key: { changing: 1 }, name: 'changing' },
  { key: { seq: 1 }, name: 'seq' },
] as const;

/** Indexes of `replacements`: a chunk's claims, and the sweep by load sequence. */
export const REPLACEMENT_INDEXES = [
  { key: { by: 1 }, name: 'by' },
  { key: { seq: 1 }, name: 'seq' },
] as const;

/** Indexes of the archive: what a mirror load archived (report, restore, verify), and an admission's copies. */
export const ARCHIVE_INDEXES = [
  { key: { loadId: 1 }, name: 'load' },
  { key: { admissionId: 1 }, name: 'admission' },
] as const;

/** Indexes of `mirror_rows`: a mirror load's rows (counted, swept by load). */
export const MIRROR_ROW_INDEXES = [{ key: { loadId: 1 }, name: 'load' }] as const;

/** Secondary indexes of the patients collection, for queries: the write path uses `_id` only. */
export const PATIENT_QUERY_INDEXES = [
  { key: { 'Medical Condition': 1 }, name: 'medical_condition' },
  { key: { 'Date of Admission': 1 }, name: 'date_of_admission' },
  { key: { Hospital: 1 }, name: 'hospital' },
  { key: { '_ingest.loadId': 1 }, name: 'ingest_load' },
] as const;

/** Creates the patients' query indexes (idempotent; a no-op when they exist). */
export async function ensureQueryIndexes(store: Store): Promise<void> {
  await store.patients.createIndexes(PATIENT_QUERY_INDEXES.map(({ key, name }) => ({ key, name })));
}
