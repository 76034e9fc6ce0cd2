import { readFileSync } from 'node:fs';
import type { Db } from 'mongodb';
import { byIdentity, type Expected, type ExpectedDoc, writeDataset } from '@hcingest/generator';

/** Generates a dataset with its expected outcome. */
export async function generate(path: string, rows: number, seed: number): Promise<Expected> {
  await writeDataset(path, { rows, seed }, `${path}.expected.json`);
  return JSON.parse(readFileSync(`${path}.expected.json`, 'utf8')) as Expected;
}

const day = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : d);

/** Stored patients reduced to the generator's expected form, sorted for comparison. */
export async function storedDocs(db: Db, collection = 'patients'): Promise<ExpectedDoc[]> {
  const docs = await db.collection(collection).find({}).toArray();
  return docs
    .map((d) => {
      const { _id: _ignored, _ingest: _meta, ...fields } = d;
      return {
        ...fields,
        'Date of Admission': day(fields['Date of Admission']),
        'Discharge Date': day(fields['Discharge Date']),
      } as unknown as ExpectedDoc;
    })
    .sort(byIdentity);
}

export { byIdentity } from '@hcingest/generator';

/** Rejects stored for a load, by reason. */
export async function rejectsByReason(db: Db, loadId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const r of await db.collection('rejects').find({ loadId }).toArray()) {
    for (const reason of r.reasons as string[]) out[reason] = (out[reason] ?? 0) + 1;
  }
  return out;
}
