import type { Db } from 'mongodb';
import { byIdentity, type ExpectedDoc } from '@hcingest/generator';

export {
  identityOf,
  overlay,
  writeDocsFile,
  writeMergeFile,
  writeMirrorFile,
  type MirrorExtract as MirrorFile,
} from '@hcingest/generator';

const day = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : d);

/** The documents a mirror load archived, reduced to the generator's expected form, sorted. */
export async function archivedDocs(db: Db, loadId: string, collection = 'patients_archive'): Promise<ExpectedDoc[]> {
  const docs = await db.collection(collection).find({ loadId }).toArray();
  return docs
    .map(({ doc }) => {
      const { _id: _ignored, _ingest: _meta, ...fields } = doc as Record<string, unknown>;
      const dates = {
        'Date of Admission': day(fields['Date of Admission']),
        'Discharge Date': day(fields['Discharge Date']),
      };
      return { ...fields, ...dates } as unknown as ExpectedDoc;
    })
    .sort(byIdentity);
}
