import { expect } from 'chai';
import { normalizedColumns, validateRow, type RawRow } from '@hcingest/shared';
import { rawRow } from '../harness/rawRow.js';

/** The columns the cleaning changed for one raw row (which must be valid). */
function changed(overrides: Partial<RawRow>): string[] {
  const raw = rawRow({ Name: 'Bobby Jackson', ...overrides });
  const result = validateRow(raw);
  if (!result.ok) throw new Error(`invalid row: ${result.reasons.join('; ')}`);
  return normalizedColumns(raw, result.admission);
}

describe('rules/normalized', () => {
  it('finds nothing changed in a row written as it is stored', () => {
    expect(changed({})).to.deep.equal([]);
  });

  it('counts text changed by whitespace or casing, column by column', () => {
    expect(changed({ Name: 'bObBy jAcKsOn', Hospital: '  Sons  and Miller ' })).to.deep.equal(['Name', 'Hospital']);
    expect(changed({ Gender: 'male', 'Blood Type': 'ab-', 'Test Results': 'NORMAL' })).to.deep.equal([
      'Gender',
      'Blood Type',
      'Test Results',
    ]);
  });

  it('compares numbers as numbers: rounding is a change, another spelling of the same number is not', () => {
    expect(changed({ 'Billing Amount': '18856.281305978155' })).to.deep.equal(['Billing Amount']);
    expect(changed({ 'Billing Amount': '1000.00', Age: ' 030', 'Room Number': '0328' })).to.deep.equal([]);
  });

  it('does not count an empty optional cell stored as null', () => {
    expect(changed({ Doctor: '', Medication: '', 'Discharge Date': '' })).to.deep.equal([]);
  });
});
