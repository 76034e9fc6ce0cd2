import { expect } from 'chai';
import { admissionId, contentHash, identityKey, validateRow, type Admission, type RawRow } from '@hcingest/shared';
import { rawRow } from '../harness/rawRow.js';

function admission(overrides: Partial<RawRow> = {}): Admission {
  const result = validateRow(rawRow(overrides));
  if (!result.ok) return expect.fail(`fixture row is invalid: ${result.reasons.join('; ')}`);
  return result.admission;
}

describe('rules/identity', () => {
  describe('identityKey and admissionId', () => {
    it('are the same for rows whose names differ only in casing and spacing', () => {
      const a = admission({ Name: 'Bobby Jackson' });
      const b = admission({ Name: '  bOBBY   JACKSON ' });
      expect(identityKey(b)).to.equal(identityKey(a));
      expect(admissionId(b)).to.equal(admissionId(a));
    });

    it('are the same for rows whose hospitals differ only in casing', () => {
      const a = admission({ Hospital: 'Sons and Miller' });
      const b = admission({ Hospital: 'SONS AND MILLER' });
      expect(admissionId(b)).to.equal(admissionId(a));
    });

    it('are the same for rows whose gender and blood type differ only in casing', () => {
      expect(admissionId(admission({ Gender: 'MALE', 'Blood Type': 'b-' }))).to.equal(admissionId(admission()));
    });

    it('ignore every non-identity field', () => {
      const a = admission();
      const b = admission({
        Age: '31',
        'Medical Condition': 'Asthma',
        Doctor: '',
        'Insurance Provider': 'Aetna',
        'Billing Amount': '1.00',
        'Room Number': '101',
        'Admission Type': 'Elective',
        'Discharge Date': '',
        Medication: 'Aspirin',
        'Test Results': 'Abnormal',
      });
      expect(identityKey(b)).to.equal(identityKey(a));
      expect(admissionId(b)).to.equal(admissionId(a));
    });

    const identityChanges: [string, Partial<RawRow>][] = [
      ['Name', { Name: 'Bobby Johnson' }],
      ['Gender', { Gender: 'Female' }],
      ['Blood Type', { 'Blood Type': 'B+' }],
      ['Date of Admission', { 'Date of Admission': '2024-02-01' }],
      ['Hospital', { Hospital: 'Sons and Millers' }],
    ];
    for (const [column, change] of identityChanges) {
      it(`differ when ${column} differs`, () => {
        const a = admission();
        const b = admission(change);
        expect(identityKey(b)).not.to.equal(identityKey(a));
        expect(admissionId(b)).not.to.equal(admissionId(a));
      });
    }

    it('is a deterministic 24-character url-safe id', () => {
      const id = admissionId(admission());
      expect(id).to.match(/^[A-Za-z0-9_-]{24}$/);
      expect(admissionId(admission())).to.equal(id);
    });
  });

  describe('contentHash', () => {
    it('is equal for identical admissions, however the raw text was written', () => {
      const a = admission();
      const b = admission({
        Name: ' BOBBY jackson ',
        Gender: 'male',
        'Admission Type': 'URGENT',
        'Billing Amount': '18856.280',
      });
      expect(contentHash(b)).to.equal(contentHash(a));
    });

    const contentChanges: [string, Partial<RawRow>][] = [
      ['Name', { Name: 'Bobby Johnson' }],
      ['Age', { Age: '31' }],
      ['Gender', { Gender: 'Female' }],
      ['Blood Type', { 'Blood Type': 'O+' }],
      ['Medical Condition', { 'Medical Condition': 'Asthma' }],
      ['Date of Admission', { 'Date of Admission': '2024-01-30' }],
      ['Doctor', { Doctor: 'Kevin Lee' }],
      ['Doctor (empty)', { Doctor: '' }],
      ['Hospital', { Hospital: 'Walton LLC' }],
      ['Hospital casing', { Hospital: 'sons and miller' }],
      ['Insurance Provider', { 'Insurance Provider': 'Aetna' }],
      ['Billing Amount', { 'Billing Amount': '18856.29' }],
      ['Billing Amount (empty)', { 'Billing Amount': '' }],
      ['Room Number', { 'Room Number': '329' }],
      ['Admission Type', { 'Admission Type': 'Elective' }],
      ['Discharge Date', { 'Discharge Date': '2024-02-03' }],
      ['Discharge Date (empty)', { 'Discharge Date': '' }],
      ['Medication', { Medication: 'Aspirin' }],
      ['Test Results', { 'Test Results': 'Abnormal' }],
    ];
    for (const [what, change] of contentChanges) {
      it(`differs when ${what} differs`, () => {
        expect(contentHash(admission(change))).not.to.equal(contentHash(admission()));
      });
    }

    it('distinguishes an empty optional text column from the text "null"', () => {
      expect(contentHash(admission({ Medication: 'null' }))).not.to.equal(contentHash(admission({ Medication: '' })));
    });
  });
});
