/**
 * The record schema: the seed dataset's 15 columns, in the seed's order.
 * This is the single definition the producer (header check) and the worker (rules) share.
 */
export const COLUMNS = [
  'Name',
  'Age',
  'Gender',
  'Blood Type',
  'Medical Condition',
  'Date of Admission',
  'Doctor',
  'Hospital',
  'Insurance Provider',
  'Billing Amount',
  'Room Number',
  'Admission Type',
  'Discharge Date',
  'Medication',
  'Test Results',
] as const;

export type Column = (typeof COLUMNS)[number];

/** A row's raw text values, keyed by canonical column name. */
export type RawRow = Record<Column, string>;

export const GENDERS = ['Male', 'Female'] as const;
export const BLOOD_TYPES = ['A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-'] as const;
export const ADMISSION_TYPES = ['Elective', 'Emergency', 'Urgent'] as const;
export const TEST_RESULTS = ['Normal', 'Abnormal', 'Inconclusive'] as const;

/** Columns that must hold a non-empty value. */
export const REQUIRED: readonly Column[] = [
  'Name',
  'Gender',
  'Blood Type',
  'Medical Condition',
  'Date of Admission',
  'Hospital',
  'Room Number',
  'Admission Type',
  'Test Results',
];

/** Optional text columns stored as null when empty. */
export const NULLABLE_TEXT: readonly Column[] = ['Doctor', 'Insurance Provider', 'Medication'];

/** Longest value a field may hold (characters, after cleaning): longer is a hostile or broken row. */
export const MAX_FIELD_LENGTH = 1000;
