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
import { DEFAULT_FORMATS, type RowFormats } from './rowFormats.js';
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
 * Cleans and validates one row, its amounts and dates read in the load's formats (the defaults
 * when not given). Every failing field contributes exactly one reason, so a rejected row says
 * everything that is wrong with it at once.
 */
export function validateRow(raw: RawRow, formats: RowFormats = DEFAULT_FORMATS): Validation {
  const text = Object.fromEntries(COLUMNS.map((c) => [c, cleanText(raw[c])])) as RawRow;
  const reasons = new RowReasons();
  for (const column of COLUMNS)
    if (text[column].length > MAX_FIELD_LENGTH) reasons.fail(column, REASONS.tooLong(column));
  for (const column of REQUIRED) if (text[column] === '') reasons.fail(column, REASONS.empty(column));
  const values = parseValues(text, reasons, formats);
  if (reasons.list.length > 0 || !isComplete(values)) return { ok: false, reasons: reasons.list };
  return { ok: true, admission: toAdmission(text, values) };
}

/** The reasons of a row, at most one per column (the first found). */
class RowReasons {
  readonly list: string[] = [];
  private readonly failed = new Set<string>();

  fail(column: string, reason: string): void {
    if (!this.failed.has(column)) this.list.push(reason);
    this.failed.add(column);
  }
}

/** The typed columns of a row, each undefined when it does not parse. */
interface ParsedValues {
  age: number | undefined;
  gender: Admission['Gender'] | undefined;
  bloodType: Admission['Blood Type'] | undefined;
  admitted: Date | undefined;
  discharged: Date | null;
  billing: number | null;
  room: number | undefined;
  admissionType: Admission['Admission Type'] | undefined;
  testResults: Admission['Test Results'] | undefined;
}

type CompleteValues = { [K in keyof ParsedValues]: Exclude<ParsedValues[K], undefined> };

/** Parses the typed columns, failing each that does not parse or is out of range. */
function parseValues(text: RawRow, reasons: RowReasons, formats: RowFormats): ParsedValues {
  const age = parseInteger(text.Age);
  if (age === undefined || age > 120) reasons.fail('Age', REASONS.age);

  const gender = matchChoice(text.Gender, GENDERS);
  if (!gender) reasons.fail('Gender', REASONS.gender);

  const bloodType = matchChoice(text['Blood Type'], BLOOD_TYPES);
  if (!bloodType) reasons.fail('Blood Type', REASONS.bloodType);

  const { admitted, discharged } = parseDates(text, reasons, formats);

  let billing: number | null = null;
  if (text['Billing Amount'] !== '') {
    const parsed = parseAmount(text['Billing Amount'], formats.decimalComma);
    if (parsed === undefined) reasons.fail('Billing Amount', REASONS.billingIn(formats.decimalComma));
    billing = parsed ?? null;
  }

  const room = parseInteger(text['Room Number']);
  if (room === undefined || room < 1) reasons.fail('Room Number', REASONS.room);

  const admissionType = matchChoice(text['Admission Type'], ADMISSION_TYPES);
  if (!admissionType) reasons.fail('Admission Type', REASONS.admissionType);

  const testResults = matchChoice(text['Test Results'], TEST_RESULTS);
  if (!testResults) reasons.fail('Test Results', REASONS.testResults);

  return { age, gender, bloodType, admitted, discharged, billing, room, admissionType, testResults };
}

/** The admission and discharge dates in the load's date format; discharge is optional and not before admission. */
function parseDates(
  text: RawRow,
  reasons: RowReasons,
  { dateFormat }: RowFormats,
): Pick<ParsedValues, 'admitted' | 'discharged'> {
  const admitted = parseDate(text['Date of Admission'], dateFormat);
  if (!admitted) reasons.fail('Date of Admission', REASONS.date('Date of Admission', dateFormat));

  let discharged: Date | null = null;
  if (text['Discharge Date'] !== '') {
    const parsed = parseDate(text['Discharge Date'], dateFormat);
    if (!parsed) reasons.fail('Discharge Date', REASONS.date('Discharge Date', dateFormat));
    else if (admitted && parsed < admitted) reasons.fail('Discharge Date', REASONS.dischargeBeforeAdmission);
    discharged = parsed ?? null;
  }
  return { admitted, discharged };
}

function isComplete(v: ParsedValues): v is CompleteValues {
  return (
    v.age !== undefined &&
    !!v.gender &&
    !!v.bloodType &&
    !!v.admitted &&
    v.room !== undefined &&
    !!v.admissionType &&
    !!v.testResults
  );
}

/** The admission of a valid row: its cleaned text and parsed values, an empty optional text as null. */
function toAdmission(text: RawRow, v: CompleteValues): Admission {
  const nullable = (c: (typeof NULLABLE_TEXT)[number]) => (text[c] === '' ? null : text[c]);
  return {
    Name: normalizeName(text.Name),
    Age: v.age,
    Gender: v.gender,
    'Blood Type': v.bloodType,
    'Medical Condition': text['Medical Condition'],
    'Date of Admission': v.admitted,
    Doctor: nullable('Doctor'),
    Hospital: text.Hospital,
    'Insurance Provider': nullable('Insurance Provider'),
    'Billing Amount': v.billing,
    'Room Number': v.room,
    'Admission Type': v.admissionType,
    'Discharge Date': v.discharged,
    Medication: nullable('Medication'),
    'Test Results': v.testResults,
  };
}
