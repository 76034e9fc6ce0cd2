import {
  ADMISSION_TYPES,
  BLOOD_TYPES,
  COLUMNS,
  GENDERS,
  MAX_FIELD_LENGTH,
  NULLABLE_TEXT,
  REQUIRED,
  TEST_RESULTS,
  type RawRow,
} from '../schema/columns.js';
import { REASONS } from './reasons.js';
import { cleanText, matchChoice, normalizeName } from './text.js';
import { parseAmount, parseDate, parseInteger } from './values.js';

/** A valid admission with normalized values (plain JS values; BSON typing happens at the store). */
export interface Admission {
  Name: string;
  Age: number;
  Gender: (typeof GENDERS)[number];
  'Blood Type': (typeof BLOOD_TYPES)[number];
  'Medical Condition': string;
  'Date of Admission': Date;
  Doctor: string | null;
  Hospital: string;
  'Insurance Provider': string | null;
  'Billing Amount': number | null;
  'Room Number': number;
  'Admission Type': (typeof ADMISSION_TYPES)[number];
  'Discharge Date': Date | null;
  Medication: string | null;
  'Test Results': (typeof TEST_RESULTS)[number];
}

export type Validation = { ok: true; admission: Admission } | { ok: false; reasons: string[] };

/**
 * Cleans and validates one row. Every failing field contributes exactly one reason,
 * so a rejected row says everything that is wrong with it at once.
 */
export function validateRow(raw: RawRow): Validation {
  const text = Object.fromEntries(COLUMNS.map((c) => [c, cleanText(raw[c])])) as RawRow;
  const reasons: string[] = [];
  const failed = new Set<string>();
  const fail = (column: string, reason: string) => {
    if (!failed.has(column)) reasons.push(reason);
    failed.add(column);
  };
  for (const column of COLUMNS) if (text[column].length > MAX_FIELD_LENGTH) fail(column, REASONS.tooLong(column));
  for (const column of REQUIRED) if (text[column] === '') fail(column, REASONS.empty(column));

  const age = parseInteger(text.Age);
  if (age === undefined || age > 120) fail('Age', REASONS.age);

  const gender = matchChoice(text.Gender, GENDERS);
  if (!gender) fail('Gender', REASONS.gender);

  const bloodType = matchChoice(text['Blood Type'], BLOOD_TYPES);
  if (!bloodType) fail('Blood Type', REASONS.bloodType);

  const admitted = parseDate(text['Date of Admission']);
  if (!admitted) fail('Date of Admission', REASONS.date('Date of Admission'));

  let discharged: Date | null = null;
  if (text['Discharge Date'] !== '') {
    const parsed = parseDate(text['Discharge Date']);
    if (!parsed) fail('Discharge Date', REASONS.date('Discharge Date'));
    else if (admitted && parsed < admitted) fail('Discharge Date', REASONS.dischargeBeforeAdmission);
    discharged = parsed ?? null;
  }

  let billing: number | null = null;
  if (text['Billing Amount'] !== '') {
    const parsed = parseAmount(text['Billing Amount']);
    if (parsed === undefined) fail('Billing Amount', REASONS.billing);
    billing = parsed ?? null;
  }

  const room = parseInteger(text['Room Number']);
  if (room === undefined || room < 1) fail('Room Number', REASONS.room);

  const admissionType = matchChoice(text['Admission Type'], ADMISSION_TYPES);
  if (!admissionType) fail('Admission Type', REASONS.admissionType);

  const testResults = matchChoice(text['Test Results'], TEST_RESULTS);
  if (!testResults) fail('Test Results', REASONS.testResults);

  if (reasons.length > 0 || !gender || !bloodType || !admitted || !admissionType || !testResults) {
    return { ok: false, reasons };
  }
  const nullable = (c: (typeof NULLABLE_TEXT)[number]) => (text[c] === '' ? null : text[c]);
  return {
    ok: true,
    admission: {
      Name: normalizeName(text.Name),
      Age: age as number,
      Gender: gender,
      'Blood Type': bloodType,
      'Medical Condition': text['Medical Condition'],
      'Date of Admission': admitted,
      Doctor: nullable('Doctor'),
      Hospital: text.Hospital,
      'Insurance Provider': nullable('Insurance Provider'),
      'Billing Amount': billing,
      'Room Number': room as number,
      'Admission Type': admissionType,
      'Discharge Date': discharged,
      Medication: nullable('Medication'),
      'Test Results': testResults,
    },
  };
}
