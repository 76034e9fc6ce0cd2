import {
  ADMISSION_TYPES,
  BLOOD_TYPES,
  GENDERS,
  MAX_FIELD_LENGTH,
  TEST_RESULTS,
  type Column,
} from '../schema/columns.js';
import { DEFAULT_FORMATS, type DateFormat } from './rowFormats.js';
import { MAX_AMOUNT } from './values.js';

const amountRange = (decimalComma: boolean) => {
  const max = decimalComma ? String(MAX_AMOUNT).replace('.', ',') : String(MAX_AMOUNT);
  return `from -${max} to ${max}`;
};

/**
 * Rejection reasons. Stable strings, free of row values, so that they can be grouped,
 * counted and logged without patient data. The date and amount reasons name the format the load
 * reads them in (the defaults when not given).
 */
export const REASONS = {
  empty: (c: Column) => `${c}: is empty`,
  tooLong: (c: Column) => `${c}: is longer than ${MAX_FIELD_LENGTH} characters`,
  age: 'Age: must be an integer in 0..120',
  gender: `Gender: must be ${GENDERS.join(' or ')}`,
  bloodType: `Blood Type: must be one of ${BLOOD_TYPES.join(' ')}`,
  date: (c: 'Date of Admission' | 'Discharge Date', format: DateFormat = DEFAULT_FORMATS.dateFormat) =>
    `${c}: must be a real calendar date in ${format}`,
  dischargeBeforeAdmission: 'Discharge Date: is before Date of Admission',
  billing: `Billing Amount: must be a number ${amountRange(false)}`,
  /** the billing reason for a load read with the given decimal separator */
  billingIn: (decimalComma: boolean) =>
    `Billing Amount: must be a number${decimalComma ? ' with a decimal comma' : ''} ${amountRange(decimalComma)}`,
  room: 'Room Number: must be a positive integer',
  admissionType: `Admission Type: must be ${ADMISSION_TYPES.join(', ')}`,
  testResults: `Test Results: must be ${TEST_RESULTS.join(', ')}`,
  fieldCount: 'row: wrong number of fields',
} as const;
