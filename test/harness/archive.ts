import { Double, Int32, type Db } from 'mongodb';
import {
  archivedDocId,
  ROWS_PER_LOAD,
  type ArchivedDoc,
  type ArchiveStage,
  type LoadDoc,
  type PatientDoc,
} from '@hcingest/shared';

/**
 * Hand-made documents of mirror loads, shaped as the archive step writes them: for testing what
 * reads the archive (restore, verify --archived, the dashboard) apart from the step itself.
 */

/** A patients document as load `seq` row `row` wrote it (synthetic values, no real patient). */
export function patientDoc(id: string, seq: number, row: number, name = `Name ${id}`): PatientDoc {
  const version = seq * ROWS_PER_LOAD + row;
  return {
    _id: id,
    Name: name,
    Age: new Int32(40 + (row % 40)),
    Gender: row % 2 ? 'Female' : 'Male',
    'Blood Type': 'A+',
    'Medical Condition': 'Asthma',
    'Date of Admission': new Date(Date.UTC(2024, 0, 1 + (row % 28))),
    Doctor: 'Dr Test',
    Hospital: 'Test Hospital',
    'Insurance Provider': null,
    'Billing Amount': new Double(1000.5 + row),
    'Room Number': new Int32(100 + (row % 300)),
    'Admission Type': 'Elective',
    'Discharge Date': null,
    Medication: null,
    'Test Results': 'Normal',
    _ingest: {
      loadId: `load-${seq}`,
      row,
      version,
      hash: `h${version}`,
      outcome: 'inserted',
      base: null,
      writes: [{ version, outcome: 'inserted' }],
      createdBy: version,
    },
  };
}

/** The archive document of `doc` moved by mirror load `loadId`. */
export function archivedDoc(loadId: string, doc: PatientDoc, restoredAt?: Date): ArchivedDoc {
  return {
    _id: archivedDocId(loadId, doc._id),
    admissionId: doc._id,
    loadId,
    archivedAt: new Date(),
    doc,
    ...(restoredAt ? { restoredAt } : {}),
  };
}

/** A completed load's `loads` document: a mirror load when given its archive stage. */
export function loadDoc(
  loadId: string,
  seq: number,
  archive?: { stage: ArchiveStage; archived?: number; wouldArchive?: number },
  contentSha256 = `sha-${loadId}`,
): LoadDoc {
  return {
    _id: loadId,
    seq,
    file: { name: `${loadId}.csv`, bytes: 100, sha256: contentSha256, contentSha256 },
    ...(archive ? { mode: 'mirror' as const, archive: { limit: { share: 0.1 }, ...archive } } : {}),
    chunkSize: 1000,
    startedAt: new Date(),
    chunksTotal: 0,
    rowsRead: 0,
    enqueuedAt: new Date(),
  };
}

/** Writes the documents straight into the test database's collections (as the root account). */
export async function seed(
  db: Db,
  docs: { loads?: LoadDoc[]; patients?: PatientDoc[]; archive?: ArchivedDoc[] },
): Promise<void> {
  if (docs.loads?.length) await db.collection<LoadDoc>('loads').insertMany(docs.loads);
  if (docs.patients?.length) await db.collection<PatientDoc>('patients').insertMany(docs.patients);
  if (docs.archive?.length) await db.collection<ArchivedDoc>('patients_archive').insertMany(docs.archive);
}
