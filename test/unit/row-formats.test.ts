import { expect } from 'chai';
import {
  DATE_FORMATS,
  DEFAULT_FORMATS,
  formatReport,
  MAX_AMOUNT,
  normalizedColumns,
  parseAmount,
  parseDate,
  REASONS,
  toReport,
  validateRow,
  type DateFormat,
  type LoadDoc,
  type RawRow,
  type RowFormats,
} from '@hcingest/shared';
import { formatsHint, MIN_SAMPLE_VALUES, resumeRefusal, type ReadOptions } from '@hcingest/producer';
import { rawRow } from '../harness/rawRow.js';

const NBSP = '\u00a0';
const NNBSP = '\u202f';

describe('row formats: amounts with a decimal comma, dates in other orders', () => {
  describe('parseAmount with a decimal comma', () => {
    const read: [string, number][] = [
      ['1234,56', 1234.56],
      ['0,5', 0.5],
      [',5', 0.5],
      ['5,', 5],
      ['1234', 1234],
      ['-250,10', -250.1],
      ['+3,14159', 3.14],
      ['2,135', 2.14],
      ['-4,015', -4.02],
      ['1,0049', 1],
      ['1 234,56', 1234.56],
      [`1${NBSP}234,56`, 1234.56],
      [`1${NNBSP}234,56`, 1234.56],
      [`12${NBSP}345${NBSP}678,9`, 12345678.9],
      ['1 234', 1234],
      ['-1 234 567', -1234567],
      ['1.234,56', 1234.56],
      ['1.234.567,00', 1234567],
      ['1.234,', 1234],
      ['999,999', 1000],
      ['1,5e3', 1500],
      ['1,5E-2', 0.02],
      ['9 999 999 999 999,99', MAX_AMOUNT],
      ['-9999999999999,994', -MAX_AMOUNT],
    ];
    for (const [text, value] of read) {
      it(`reads ${JSON.stringify(text)} as ${value}`, () => expect(parseAmount(text, true)).to.equal(value));
    }

    const refused: [string, string][] = [
      ['1234.56', 'a decimal point'],
      ['1.5', 'a point group of 1 digit'],
      ['1.234', 'point-grouped without the comma part (a thousand times off if the file had decimal points)'],
      ['1.23,4', 'a point group of 2 digits'],
      ['12 34,5', 'a space group of 2 digits'],
      ['1 2345,6', 'a space group of 4 digits'],
      ['1234 567,8', 'a first group of 4 digits'],
      [' 234,5', 'an empty first group'],
      ['1 234 ,5', 'a separator before the comma'],
      [`1 234${NBSP}567,8`, 'two kinds of separator'],
      ['1.234 567,8', 'a point and a space'],
      ['1,234,56', 'two commas'],
      ['1 234,5e3', 'an exponent with groups'],
      ['1,2,3', 'three commas'],
      [',', 'a lone comma'],
      ['', 'nothing'],
      ['-', 'a lone sign'],
      ['- 5,1', 'a space after the sign'],
      ['1e400', 'an infinite number'],
      ['10 000 000 000 000', 'more than MAX_AMOUNT'],
      ['abc', 'letters'],
      ['12,5€', 'a currency symbol'],
      ['0x10', 'hexadecimal'],
    ];
    for (const [text, why] of refused) {
      it(`refuses ${JSON.stringify(text)} (${why})`, () => expect(parseAmount(text, true)).to.equal(undefined));
    }

    it('never returns negative zero', () => {
      expect(Object.is(parseAmount('-0,001', true), -0)).to.equal(false);
    });

    it('reads amounts with a decimal point as before without it (a comma is refused)', () => {
      expect(parseAmount('1234.56', false)).to.equal(1234.56);
      expect(parseAmount('1234,56', false)).to.equal(undefined);
      expect(parseAmount('1 234.56', false)).to.equal(undefined);
    });
  });

  describe('parseDate in every format', () => {
    const iso = (d: Date | undefined) => d?.toISOString().slice(0, 10);
    // 31 January 2024, and 5 June 2022 with 1-digit day and month, in each format.
    const written: Record<DateFormat, [string, string, string]> = {
      'YYYY-MM-DD': ['2024-01-31', '2022-06-05', '2022-6-5'],
      'DD/MM/YYYY': ['31/01/2024', '05/06/2022', '5/6/2022'],
      'MM/DD/YYYY': ['01/31/2024', '06/05/2022', '6/5/2022'],
      'DD-MM-YYYY': ['31-01-2024', '05-06-2022', '5-6-2022'],
      'MM-DD-YYYY': ['01-31-2024', '06-05-2022', '6-5-2022'],
      'DD.MM.YYYY': ['31.01.2024', '05.06.2022', '5.6.2022'],
      'MM.DD.YYYY': ['01.31.2024', '06.05.2022', '6.5.2022'],
    };
    for (const format of DATE_FORMATS) {
      const [jan31, june5, short] = written[format];
      it(`${format}: reads ${jan31} and ${june5} at UTC midnight`, () => {
        expect(parseDate(jan31, format)?.toISOString()).to.equal('2024-01-31T00:00:00.000Z');
        expect(iso(parseDate(june5, format))).to.equal('2022-06-05');
      });
      it(`${format}: ${format === 'YYYY-MM-DD' ? 'refuses' : 'reads'} 1-digit day and month (${short})`, () => {
        expect(iso(parseDate(short, format))).to.equal(format === 'YYYY-MM-DD' ? undefined : '2022-06-05');
      });
      it(`${format}: refuses dates written in every other format`, () => {
        for (const other of DATE_FORMATS.filter((f) => f !== format)) {
          const [text] = written[other];
          // 31/01 cannot be month-first, nor 01/31 day-first: each written form fits its format only.
          expect(parseDate(text, format), `${text} as ${format}`).to.equal(undefined);
        }
      });
    }

    const notReal: [DateFormat, string][] = [
      ['DD/MM/YYYY', '31/02/2024'],
      ['DD/MM/YYYY', '29/02/2023'],
      ['DD/MM/YYYY', '31/04/2024'],
      ['DD/MM/YYYY', '01/13/2024'],
      ['DD/MM/YYYY', '00/01/2024'],
      ['DD/MM/YYYY', '01/00/2024'],
      ['MM/DD/YYYY', '02/30/2024'],
      ['MM/DD/YYYY', '13/01/2024'],
      ['DD-MM-YYYY', '32-01-2024'],
      ['MM.DD.YYYY', '02.29.1900'],
      ['DD.MM.YYYY', '29.02.2100'],
    ];
    for (const [format, text] of notReal) {
      it(`${format}: refuses ${text}, which is not a real date`, () =>
        expect(parseDate(text, format)).to.equal(undefined));
    }

    it('accepts 29 February in leap years only, in day-first form too', () => {
      expect(iso(parseDate('29/02/2024', 'DD/MM/YYYY'))).to.equal('2024-02-29');
      expect(iso(parseDate('02/29/2000', 'MM/DD/YYYY'))).to.equal('2000-02-29');
    });

    const malformed = [
      '31/01/24',
      '031/01/2024',
      '31/001/2024',
      '31/01/02024',
      '31/01-2024',
      ' 31/01/2024',
      '31/01/2024 ',
      '31 01 2024',
      '',
      '31/01',
    ];
    for (const text of malformed) {
      it(`DD/MM/YYYY: refuses ${JSON.stringify(text)} (2-digit year, 3 digits, mixed separators, spaces)`, () =>
        expect(parseDate(text, 'DD/MM/YYYY')).to.equal(undefined));
    }

    it('reads YYYY-MM-DD by default, as before', () => {
      expect(iso(parseDate('2024-01-31'))).to.equal('2024-01-31');
      expect(parseDate('31/01/2024')).to.equal(undefined);
    });
  });

  describe('validateRow in the load formats', () => {
    const french: RowFormats = { decimalComma: true, dateFormat: 'DD/MM/YYYY' };
    const frenchRow = (o: Partial<RawRow> = {}) =>
      rawRow({
        'Date of Admission': '31/01/2024',
        'Discharge Date': '02/02/2024',
        'Billing Amount': '18 856,28',
        ...o,
      });

    it('stores the same admission from the French form as from the default form', () => {
      const a = validateRow(frenchRow(), french);
      const b = validateRow(rawRow());
      expect(a.ok && b.ok).to.equal(true);
      if (a.ok && b.ok) expect(a.admission).to.deep.equal(b.admission);
    });

    it('names the format in use in the date and amount reasons', () => {
      const r = validateRow(frenchRow({ 'Date of Admission': '31/02/2024', 'Billing Amount': '18.856' }), french);
      expect(r.ok).to.equal(false);
      if (r.ok) return;
      expect(r.reasons).to.deep.equal([
        'Date of Admission: must be a real calendar date in DD/MM/YYYY',
        `Billing Amount: must be a number with a decimal comma from -9999999999999,99 to 9999999999999,99`,
      ]);
      expect(r.reasons[0]).to.equal(REASONS.date('Date of Admission', 'DD/MM/YYYY'));
      expect(r.reasons[1]).to.equal(REASONS.billingIn(true));
    });

    it('keeps the default reasons word for word', () => {
      expect(REASONS.date('Discharge Date')).to.equal('Discharge Date: must be a real calendar date in YYYY-MM-DD');
      expect(REASONS.billingIn(false)).to.equal(REASONS.billing);
      const r = validateRow(rawRow({ 'Discharge Date': '02/02/2024' }), DEFAULT_FORMATS);
      expect(r.ok ? [] : r.reasons).to.deep.equal([REASONS.date('Discharge Date')]);
    });

    it('compares the discharge with the admission in any format', () => {
      const r = validateRow(frenchRow({ 'Discharge Date': '30/01/2024' }), french);
      expect(r.ok ? [] : r.reasons).to.deep.equal([REASONS.dischargeBeforeAdmission]);
    });

    it('counts no normalization for values written in the load formats, and rounding still as one', () => {
      const changed = (o: Partial<RawRow>) => {
        const raw = frenchRow(o);
        const r = validateRow(raw, french);
        if (!r.ok) throw new Error(r.reasons.join('; '));
        return normalizedColumns(raw, r.admission, french);
      };
      expect(changed({ Name: 'Bobby Jackson' })).to.deep.equal([]);
      expect(
        changed({ Name: 'Bobby Jackson', 'Date of Admission': '31/1/2024', 'Billing Amount': `18${NBSP}856,280` }),
      ).to.deep.equal([]);
      expect(changed({ Name: 'Bobby Jackson', 'Billing Amount': '18856,2813' })).to.deep.equal(['Billing Amount']);
      expect(changed({ Name: 'Bobby Jackson', 'Discharge Date': ' 02/02/2024' })).to.deep.equal(['Discharge Date']);
    });
  });

  describe('formatsHint: a file in other formats than the defaults is refused, never guessed', () => {
    const sample = (dates: string[], amounts: string[] = ['12.50', '3']) => ({ rows: 10, dates, amounts });
    const dayFirst = ['17/11/2022', '31/01/2024', '13/05/2021', '01/02/2020', '25/12/2023'];
    const both = ['01/02/2022', '03/04/2022', '05/06/2022', '07/08/2022', '09/10/2022'];

    it('names --date-format DD/MM/YYYY when every date fails as YYYY-MM-DD and reads day-first', () => {
      expect(formatsHint(sample(dayFirst), {})).to.equal(
        'none of its 5 dates is YYYY-MM-DD, but 5 read as DD/MM/YYYY: pass --date-format DD/MM/YYYY',
      );
    });

    it('names the format with - and . separators, and month-first', () => {
      expect(formatsHint(sample(dayFirst.map((d) => d.replace(/\//g, '.'))), {})).to.include(
        '--date-format DD.MM.YYYY',
      );
      expect(formatsHint(sample(['11-17-2022', '01-31-2024', '05-13-2021', '1-2-2020', '12-25-2023']), {})).to.include(
        'pass --date-format MM-DD-YYYY',
      );
    });

    it('says the dates are ambiguous and names both options when day-first and month-first both read them', () => {
      const hint = formatsHint(sample(both), {});
      expect(hint).to.include('ambiguous').and.to.include('--date-format DD/MM/YYYY or --date-format MM/DD/YYYY');
    });

    it('says nothing when a date reads as YYYY-MM-DD, when none reads in any format, or with too few dates', () => {
      expect(formatsHint(sample([...dayFirst, '2024-01-01']), {})).to.equal(undefined);
      expect(formatsHint(sample(['soon', 'later', 'never', 'now', 'then']), {})).to.equal(undefined);
      expect(formatsHint(sample(dayFirst.slice(0, MIN_SAMPLE_VALUES - 1)), {})).to.equal(undefined);
    });

    it('says nothing of the dates when --date-format was given (a date that does not read is a reject)', () => {
      expect(formatsHint(sample(dayFirst), { dateFormat: 'YYYY-MM-DD' })).to.equal(undefined);
      expect(formatsHint(sample(both), { dateFormat: 'MM/DD/YYYY' })).to.equal(undefined);
    });

    it('names --decimal-comma when every amount fails with a point and reads with a comma', () => {
      const amounts = ['37490,98', '1 234,5', '12,0', '-5,25', '1.000,00'];
      expect(formatsHint(sample(['2024-01-01'], amounts), {})).to.equal(
        '5 of its 5 billing amounts read with a decimal comma and none with a decimal point only: pass --decimal-comma',
      );
      expect(formatsHint(sample(['2024-01-01'], amounts), { decimalComma: true })).to.equal(undefined);
      // '12.5' reads with a point only: the file may well have decimal points.
      expect(formatsHint(sample(['2024-01-01'], ['37490,98', '12.5', '5,5', '6,6', '7,7', '8,8']), {})).to.equal(
        undefined,
      );
    });

    it('judges a dirty sample by its majority: bad values read in no format, whole amounts in both', () => {
      const dirty = sample(
        [...dayFirst, '01/02/2020', 'soon', '2024-1-5'],
        ['1,5', '2,5', '3,5', '4,5', '5,5', '1234', 'abc'],
      );
      expect(formatsHint(dirty, {}))
        .to.include('none of its 8 dates is YYYY-MM-DD, but 6 read as DD/MM/YYYY')
        .and.to.include('5 of its 7 billing amounts read with a decimal comma');
      const mostlyBad = sample(
        [...dayFirst, 'a', 'b', 'c', 'd', 'e'],
        ['1,5', '2,5', '3,5', '4,5', '5,5', 'a', 'b', 'c', 'd', 'e'],
      );
      expect(formatsHint(mostlyBad, {})).to.equal(undefined);
    });

    it('names both options at once', () => {
      const hint = formatsHint(sample(dayFirst, ['1,5', '2,5', '3,5', '4,5', '5,5']), {});
      expect(hint).to.include('--date-format DD/MM/YYYY').and.to.include('--decimal-comma');
    });
  });

  describe('resumeRefusal: a load is resumed only as it was read', () => {
    const defaults: ReadOptions = { delimiter: ',', encoding: 'utf8', formats: DEFAULT_FORMATS };

    it('allows the same options', () => {
      expect(resumeRefusal('L1', defaults, { ...defaults })).to.equal(undefined);
    });

    it('names every option that differs, as recorded and as given', () => {
      const given: ReadOptions = {
        delimiter: ',',
        encoding: 'windows-1252',
        formats: { decimalComma: false, dateFormat: 'DD/MM/YYYY' },
      };
      expect(resumeRefusal('L1', defaults, given)).to.equal(
        'load L1 was read with the default encoding utf8 and the default date format YYYY-MM-DD; ' +
          'this run gives windows-1252 and DD/MM/YYYY: use the same options, or start another load with --new-load',
      );
    });

    it('names a different delimiter and decimal separator', () => {
      const recorded: ReadOptions = {
        ...defaults,
        delimiter: ';',
        formats: { decimalComma: true, dateFormat: 'YYYY-MM-DD' },
      };
      expect(resumeRefusal('L2', recorded, defaults)).to.equal(
        "load L2 was read with --delimiter ';' and --decimal-comma; this run gives ,-separated and decimal points: " +
          'use the same options, or start another load with --new-load',
      );
      expect(resumeRefusal('L3', { ...defaults, delimiter: '\t' }, defaults)).to.include('--delimiter tab');
    });
  });

  describe('the report shows the encoding and formats when not the defaults', () => {
    const doc: LoadDoc = {
      _id: 'L1',
      seq: 1,
      file: { name: 'fr.csv', bytes: 1234, sha256: 'ab'.repeat(32) },
      delimiter: ';',
      encoding: 'windows-1252',
      formats: { decimalComma: true, dateFormat: 'DD/MM/YYYY' },
      chunkSize: 10,
      startedAt: new Date('2024-05-01T10:00:00Z'),
      chunksTotal: 0,
      rowsRead: 0,
      enqueuedAt: new Date('2024-05-01T10:00:01Z'),
    };

    it('in the JSON report and the text one', () => {
      const report = toReport(doc, [], []);
      expect(report).to.deep.include({ encoding: 'windows-1252', formats: doc.formats });
      expect(formatReport(report)).to.include(
        'file       fr.csv (1,234 bytes, ;-separated, windows-1252, decimal comma, dates DD/MM/YYYY, sha256 abab',
      );
    });

    it('not for the defaults, recorded or absent', () => {
      for (const plain of [
        { ...doc, delimiter: ',' as const, encoding: 'utf8' as const, formats: DEFAULT_FORMATS },
        { ...doc, delimiter: undefined, encoding: undefined, formats: undefined },
      ]) {
        const report = toReport(plain, [], []);
        expect(report).to.not.have.any.keys('encoding', 'formats', 'delimiter');
        expect(formatReport(report)).to.include('file       fr.csv (1,234 bytes, sha256 abab');
      }
    });
  });
});
