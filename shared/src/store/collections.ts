import { MongoClient, type Collection, type Db } from 'mongodb';
import type { Config } from '../config.js';
import type { LoadDoc } from '../load/loadDoc.js';
import type { PatientDoc } from './patientDoc.js';
import type { RejectDoc } from './rejectDoc.js';

export interface Store {
  client: MongoClient;
  db: Db;
  patients: Collection<PatientDoc>;
  rejects: Collection<RejectDoc>;
  loads: Collection<LoadDoc>;
  counters: Collection<{ _id: string; value: number }>;
}

/** Connects to MongoDB. The driver retries reads and writes once on transient errors by itself. */
export async function connectStore(config: Config, appName: string): Promise<Store> {
  const client = new MongoClient(config.MONGO_URL, {
    appName,
    serverSelectionTimeoutMS: 10_000,
    retryWrites: true,
    retryReads: true,
  });
  await client.connect();
  const db = client.db(config.DB_NAME);
  return {
    client,
    db,
    patients: db.collection<PatientDoc>(config.COLLECTION_NAME),
    rejects: db.collection<RejectDoc>('rejects'),
    loads: db.collection<LoadDoc>('loads'),
    counters: db.collection('counters'),
  };
}

/** Creates the indexes queries and the write path rely on; safe to run at every start-up. */
export async function ensureIndexes(store: Store): Promise<void> {
  await store.patients.createIndexes([
    { key: { 'Medical Condition': 1 }, name: 'medical_condition' },
    { key: { 'Date of Admission': 1 }, name: 'date_of_admission' },
    { key: { Hospital: 1 }, name: 'hospital' },
    { key: { '_ingest.loadId': 1 }, name: 'ingest_load' },
  ]);
  await store.rejects.createIndexes([{ key: { loadId: 1, row: 1 }, name: 'load_row' }]);
}
