import type { RawRow } from '@hcingest/shared';

/** A valid raw row with all 15 columns; `overrides` replaces single values. */
export function rawRow(overrides: Partial<RawRow> = {}): RawRow {
  return {
    Name: 'Bobby JacksOn',
    Age: '30',
    Gender: 'Male',
    'Blood Type': 'B-',
    'Medical Condition': 'Cancer',
    'Date of Admission': '2024-01-31',
    Doctor: 'Matthew Smith',
    Hospital: 'Sons and Miller',
    'Insurance Provider': 'Blue Cross',
    'Billing Amount': '18856.28',
    'Room Number': '328',
    'Admission Type': 'Urgent',
    'Discharge Date': '2024-02-02',
    Medication: 'Paracetamol',
    'Test Results': 'Normal',
    ...overrides,
  };
}
