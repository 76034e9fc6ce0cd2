import {
  loadConfig,
  createOrResumeLoad,
  markEnqueued,
  type ChunkJobData,
  COLUMNS,
  type Column,
  connectStore,
  type Store,
  csvField,
} from '@hcingest/shared';
import type { MongoClientOptions } from 'mongodb';
import { accountUrl, ensureAccounts } from './accounts.js';

/** Chunk jobs written by hand, for tests that drive the worker's chunk processor directly. */

/** One CSV record of an admission; `name` and `billing` vary, the rest is fixed unless given. */
export function row(
  name: string,
  billing: string,
  hospital = 'Burke, Griffin and Cooper',
  extra: Partial<Record<Column, string>> = {},
): string {
  const v: Record<Column, string> = {
    Name: name,
    Age: '40',
    Gender: 'Female',
    'Blood Type': 'A+',
    'Medical Condition': 'Asthma',
    'Date of Admission': '2023-03-01',
    Doctor: 'Emily Wright',
    Hospital: hospital,
    'Insurance Provider': 'Aetna',
    'Billing Amount': billing,
    'Room Number': '101',
    'Admission Type': 'Urgent',
    'Discharge Date': '2023-03-09',
    Medication: 'Aspirin',
    'Test Results': 'Normal',
    ...extra,
  };
  return COLUMNS.map((c) => csvField(v[c])).join(',');
}

export function chunk(loadId: string, index: number, firstRow: number, records: string[]): ChunkJobData {
  return {
    loadId,
    chunk: index,
    firstRow,
    header: [...COLUMNS],
    firstLine: firstRow + 1,
    rows: records.length,
    text: records.join('\n'),
  };
}

/** Records a load as the producer would (its sequence number orders it after earlier ones). */
export async function newLoad(store: Store, loadId: string, chunks: number, rows: number): Promise<void> {
  await createOrResumeLoad(store, { loadId, file: { name: `${loadId}.csv`, bytes: 1, sha256: loadId }, chunkSize: 2 });
  await markEnqueued(store, loadId, chunks, rows);
}

/** The store as a worker sees it: signed in as the test database's writer account. */
export async function writerStore(env: NodeJS.ProcessEnv, options: MongoClientOptions = {}): Promise<Store> {
  await ensureAccounts(env);
  const config = loadConfig({ ...process.env, ...env, MONGO_URL: accountUrl(env, 'writer') });
  return connectStore(config, 'test', options);
}
