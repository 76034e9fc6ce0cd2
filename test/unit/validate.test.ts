import { expect } from 'chai';
import { REASONS, validateRow, type Admission, type Validation, REQUIRED, type RawRow } from '@hcingest/shared';
import { rawRow } from '../harness/rawRow.js';

function accepted(result: Validation): Admission {
  if (!result.ok) expect.fail(`expected the row to be valid, got ${JSON.stringify(result.reasons)}`);
  return result.admission;
}

function reasonsOf(overrides: Partial<RawRow>): string[] {
  const result = validateRow(rawRow(overrides));
  if (result.ok) return expect.fail(`expected ${JSON.stringify(overrides)} to be rejected`);
  return result.reasons;
}

describe('rules/validate', () => {
  describe('a valid row', () => {
    it('is accepted with typed, normalized values', () => {
      const a = accepted(validateRow(rawRow()));
      expect(a).to.deep.equal({
        Name: 'Bobby Jackson',
        Age: 30,
        Gender: 'Male',
        'Blood Type': 'B-',
        'Medical Condition': 'Cancer',
        'Date of Admission': new Date('2024-01-31T00:00:00Z'),
        Doctor: 'Matthew Smith',
        Hospital: 'Sons and Miller',
        'Insurance Provider': 'Blue Cross',
        'Billing Amount': 18856.28,
        'Room Number': 328,
        'Admission Type': 'Urgent',
        'Discharge Date': new Date('2024-02-02T00:00:00Z'),
        Medication: 'Paracetamol',
        'Test Results': 'Normal',
      });
    });

    it('accepts the age bounds 0 and 120', () => {
      expect(accepted(validateRow(rawRow({ Age: '0' }))).Age).to.equal(0);
      expect(accepted(validateRow(rawRow({ Age: '120' }))).Age).to.equal(120);
    });

    it('accepts a discharge on the day of admission', () => {
      const a = accepted(validateRow(rawRow({ 'Date of Admission': '2024-03-01', 'Discharge Date': '2024-03-01' })));
      expect(a['Discharge Date']!.toISOString()).to.equal('2024-03-01T00:00:00.000Z');
    });

    it('canonicalizes gender, blood type, admission type and test results written in any case', () => {
      const a = accepted(
        validateRow(
          rawRow({
            Gender: 'fEMALE',
            'Blood Type': 'ab-',
            'Admission Type': 'EMERGENCY',
            'Test Results': 'inconclusive',
          }),
        ),
      );
      expect(a.Gender).to.equal('Female');
      expect(a['Blood Type']).to.equal('AB-');
      expect(a['Admission Type']).to.equal('Emergency');
      expect(a['Test Results']).to.equal('Inconclusive');
    });

    it('stores empty Doctor, Insurance Provider and Medication as null', () => {
      const a = accepted(validateRow(rawRow({ Doctor: '', 'Insurance Provider': '  ', Medication: '\t' })));
      expect(a.Doctor).to.equal(null);
      expect(a['Insurance Provider']).to.equal(null);
      expect(a.Medication).to.equal(null);
    });

    it('stores an empty Billing Amount as null', () => {
      expect(accepted(validateRow(rawRow({ 'Billing Amount': '' })))['Billing Amount']).to.equal(null);
      expect(accepted(validateRow(rawRow({ 'Billing Amount': '   ' })))['Billing Amount']).to.equal(null);
    });

    it('keeps a negative Billing Amount, rounded to cents', () => {
      expect(accepted(validateRow(rawRow({ 'Billing Amount': '-502.507' })))['Billing Amount']).to.equal(-502.51);
    });

    it('stores an empty Discharge Date as null', () => {
      expect(accepted(validateRow(rawRow({ 'Discharge Date': '' })))['Discharge Date']).to.equal(null);
    });

    it('trims values and collapses inner whitespace before storing them', () => {
      const a = accepted(
        validateRow(
          rawRow({
            Name: '  mrs.  brandy\nFLOWERS ',
            Age: ' 45 ',
            Gender: ' male ',
            'Medical Condition': ' High \t Blood   Pressure ',
            'Date of Admission': ' 2024-01-31 ',
            Doctor: 'Matthew\nSmith',
            Hospital: '  Burke,  Griffin and Cooper ',
            'Insurance Provider': ' Blue   Cross',
            'Billing Amount': ' 12.5 ',
            'Room Number': ' 101 ',
            'Discharge Date': ' 2024-02-01 ',
            Medication: ' Aspirin ',
          }),
        ),
      );
      expect(a.Name).to.equal('Mrs. Brandy Flowers');
      expect(a.Age).to.equal(45);
      expect(a.Gender).to.equal('Male');
      expect(a['Medical Condition']).to.equal('High Blood Pressure');
      expect(a.Doctor).to.equal('Matthew Smith');
      expect(a.Hospital).to.equal('Burke, Griffin and Cooper');
      expect(a['Insurance Provider']).to.equal('Blue Cross');
      expect(a['Billing Amount']).to.equal(12.5);
      expect(a['Room Number']).to.equal(101);
      expect(a['Discharge Date']!.toISOString()).to.equal('2024-02-01T00:00:00.000Z');
      expect(a.Medication).to.equal('Aspirin');
    });

    it('does not change the case of free-text columns other than Name', () => {
      const a = accepted(validateRow(rawRow({ Hospital: 'sons AND miller', 'Medical Condition': 'cancer' })));
      expect(a.Hospital).to.equal('sons AND miller');
      expect(a['Medical Condition']).to.equal('cancer');
    });
  });

  describe('rejection reasons', () => {
    for (const column of REQUIRED) {
      it(`gives exactly one reason "${column}: is empty" when ${column} is empty or blank`, () => {
        expect(reasonsOf({ [column]: '' })).to.deep.equal([`${column}: is empty`]);
        expect(reasonsOf({ [column]: ' \t ' })).to.deep.equal([REASONS.empty(column)]);
      });
    }

    it('rejects an Age that is not a plain integer in 0..120', () => {
      for (const age of ['abc', '4.5', '-5', '121', '', '1e2', '+3']) {
        expect(reasonsOf({ Age: age }), age).to.deep.equal([REASONS.age]);
      }
    });

    it('rejects a Gender that is not Male or Female', () => {
      for (const gender of ['Unknown', 'M', 'F', 'other']) {
        expect(reasonsOf({ Gender: gender }), gender).to.deep.equal([REASONS.gender]);
      }
    });

    it('rejects an unknown Blood Type', () => {
      for (const blood of ['C+', 'AB', 'O', 'A +']) {
        expect(reasonsOf({ 'Blood Type': blood }), blood).to.deep.equal([REASONS.bloodType]);
      }
    });

    it('rejects a Date of Admission that is not a real YYYY-MM-DD date', () => {
      for (const date of ['2023-02-30', '2023/01/05', '05-01-2023', '2021-13-01']) {
        expect(reasonsOf({ 'Date of Admission': date, 'Discharge Date': '' }), date).to.deep.equal([
          REASONS.date('Date of Admission'),
        ]);
      }
    });

    it('rejects a Discharge Date that is not a real YYYY-MM-DD date', () => {
      for (const date of ['2024-04-31', 'soon', '2024-1-5']) {
        expect(reasonsOf({ 'Discharge Date': date }), date).to.deep.equal([REASONS.date('Discharge Date')]);
      }
    });

    it('rejects a discharge before the admission', () => {
      expect(reasonsOf({ 'Date of Admission': '2024-03-01', 'Discharge Date': '2024-02-29' })).to.deep.equal([
        REASONS.dischargeBeforeAdmission,
      ]);
    });

    it('rejects a Billing Amount that is not a number within the accepted range', () => {
      for (const billing of ['abc', '1e400', '1e308', '12.5.1', '$100', '1,000']) {
        expect(reasonsOf({ 'Billing Amount': billing }), billing).to.deep.equal([REASONS.billing]);
      }
    });

    it('rejects a Room Number that is zero, negative or not an integer', () => {
      for (const room of ['0', '-3', '12a', '3.5']) {
        expect(reasonsOf({ 'Room Number': room }), room).to.deep.equal([REASONS.room]);
      }
    });

    it('rejects an unknown Admission Type', () => {
      for (const type of ['Routine', 'Walk-in']) {
        expect(reasonsOf({ 'Admission Type': type }), type).to.deep.equal([REASONS.admissionType]);
      }
    });

    it('rejects unknown Test Results', () => {
      for (const result of ['Positive', 'Pending']) {
        expect(reasonsOf({ 'Test Results': result }), result).to.deep.equal([REASONS.testResults]);
      }
    });

    it('gives one reason per failing field, empty columns first', () => {
      expect(
        reasonsOf({
          Name: '',
          Age: '200',
          Gender: 'X',
          'Blood Type': 'Z',
          'Date of Admission': 'yesterday',
          'Discharge Date': 'tomorrow',
          'Billing Amount': 'lots',
          'Room Number': '0',
          'Admission Type': 'Maybe',
          'Test Results': '',
        }),
      ).to.deep.equal([
        REASONS.empty('Name'),
        REASONS.empty('Test Results'),
        REASONS.age,
        REASONS.gender,
        REASONS.bloodType,
        REASONS.date('Date of Admission'),
        REASONS.date('Discharge Date'),
        REASONS.billing,
        REASONS.room,
        REASONS.admissionType,
      ]);
    });

    it('does not compare the discharge with an admission date that is itself invalid', () => {
      expect(reasonsOf({ 'Date of Admission': '2024-02-30', 'Discharge Date': '2000-01-01' })).to.deep.equal([
        REASONS.date('Date of Admission'),
      ]);
    });

    it('reports every reason free of the row values', () => {
      const secret = 'Zebediah';
      const reasons = reasonsOf({ Name: secret, Gender: secret, 'Blood Type': secret, 'Test Results': secret });
      expect(reasons).to.have.length(3);
      for (const reason of reasons) expect(reason).not.to.contain(secret);
    });
  });
});
