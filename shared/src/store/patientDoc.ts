import { Double, Int32 } from 'mongodb';
import type { Admission } from '../rules/validate.js';

/** What a row that wrote an admission did to it, compared with its state before the row's load. */
export type WriteOutcome = 'inserted' | 'updated' | 'unchanged';

/** One row that wrote this admission: its version and what it did (see IngestMeta.writes). */
export interface WriteRecord {
  version: number;
  outcome: WriteOutcome;
}

/** Provenance and versioning of a stored admission. */
export interface IngestMeta {
  loadId: string;
  /** data row number in the load's file (1-based, header and blank lines not counted) */
  row: number;
  /** version of the row these values come from: later loads and later rows are higher */
  version: number;
  /** hash of the 15 values, to tell an identical row ("unchanged") from a correction */
  hash: string;
  /** what the stored row did, compared with the admission before its load */
  outcome: WriteOutcome;
  /**
   * hash of the admission before the stored row's load (null: the load created it), kept while
   * later rows of the same load write, so each compares with the state before the load
   */
  base: string | null;
  /**
   * the last rows that wrote this admission (MAX_WRITES), oldest first: a chunk processed again
   * finds its own write here and counts what it did then, also after later rows replaced it
   */
  writes: WriteRecord[];
  /** version of the row that created the document (inserted is counted once, by its creator) */
  createdBy: number;
}

/** Write records kept per admission: far more than rows of one admission written at once. */
export const MAX_WRITES = 16;

export interface PatientDoc {
  _id: string;
  Name: string;
  Age: Int32;
  Gender: string;
  'Blood Type': string;
  'Medical Condition': string;
  'Date of Admission': Date;
  Doctor: string | null;
  Hospital: string;
  'Insurance Provider': string | null;
  'Billing Amount': Double | null;
  'Room Number': Int32;
  'Admission Type': string;
  'Discharge Date': Date | null;
  Medication: string | null;
  'Test Results': string;
  _ingest: IngestMeta;
}

/** The 15 stored fields of an admission with the schema's BSON types (int32, double, dates). */
export function patientFields(a: Admission): Omit<PatientDoc, '_id' | '_ingest'> {
  return {
    Name: a.Name,
    Age: new Int32(a.Age),
    Gender: a.Gender,
    'Blood Type': a['Blood Type'],
    'Medical Condition': a['Medical Condition'],
    'Date of Admission': a['Date of Admission'],
    Doctor: a.Doctor,
    Hospital: a.Hospital,
    'Insurance Provider': a['Insurance Provider'],
    // Double keeps whole amounts such as 1000.00 a double rather than an int32.
    'Billing Amount': a['Billing Amount'] === null ? null : new Double(a['Billing Amount']),
    'Room Number': new Int32(a['Room Number']),
    'Admission Type': a['Admission Type'],
    'Discharge Date': a['Discharge Date'],
    Medication: a.Medication,
    'Test Results': a['Test Results'],
  };
}

/** Builds the stored document: the admission's fields and the load's record of the write. */
export function toPatientDoc(id: string, a: Admission, meta: IngestMeta): PatientDoc {
  return { _id: id, ...patientFields(a), _ingest: meta };
}
