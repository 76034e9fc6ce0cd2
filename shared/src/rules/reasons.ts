import {
  ADMISSION_TYPES,
  BLOOD_TYPES,
  GENDERS,
  MAX_FIELD_LENGTH,
  TEST_RESULTS,
  type Column,
} from '../schema/columns.js';
import { MAX_AMOUNT } from './values.js';

/**
 * Rejection reasons. Stable strings, free of row values, so that they can be grouped,
 * counted and logged without patient data.
 */
export const REASONS = {
  empty: (c: Column) => `${c}: is empty`,
  tooLong: (c: Column) => `${c}: is longer than ${MAX_FIELD_LENGTH} characters`,
  age: 'Age: must be an integer in 0..120',
  gender: `Gender: must be ${GENDERS.join(' or ')}`,
  bloodType: `Blood Type: must be one of ${BLOOD_TYPES.join(' ')}`,
  date: (c: 'Date of Admission' | 'Discharge Date') => `${c}: must be a real calendar date in YYYY-MM-DD`,
  dischargeBeforeAdmission: 'Discharge Date: is before Date of Admission',
  billing: `Billing Amount: must be a number from -${MAX_AMOUNT} to ${MAX_AMOUNT}`,
  room: 'Room Number: must be a positive integer',
  admissionType: `Admission Type: must be ${ADMISSION_TYPES.join(', ')}`,
  testResults: `Test Results: must be ${TEST_RESULTS.join(', ')}`,
  fieldCount: 'row: wrong number of fields',
} as const;
