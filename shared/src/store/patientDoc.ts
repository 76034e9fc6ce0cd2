import { Double, Int32 } from 'mongodb';
import type { Admission } from '../rules/validate.js';

export type WriteOutcome = 'inserted' | 'updated' | 'unchanged';

/** Provenance and versioning of a stored admission. */
export interface IngestMeta {
  loadId: string;
  /** data row number in the load's file (1-based, header and blank lines not counted) */
  row: number;
  /** version of the row these values come from: later loads and later rows are higher */
  version: number;
  /** hash of the 15 values, to tell an identical row ("unchanged") from a correction */
  hash: string;
  /** outcome of the first row of the chunk's group that wrote this version (for exact retries) */
  outcome: WriteOutcome;
  /** version of the row that created the document (inserted is counted once, by its creator) */
  createdBy: number;
}

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

/** Builds the stored document with the schema's BSON types (int32, double, dates). */
export function toPatientDoc(id: string, a: Admission, meta: IngestMeta): PatientDoc {
  return {
    _id: id,
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
    _ingest: meta,
  };
}
