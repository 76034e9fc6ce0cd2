import { expect } from 'chai';
import { MAX_AMOUNT, parseAmount, parseDate, parseInteger } from '@hcingest/shared';

describe('rules/values', () => {
  describe('parseInteger', () => {
    it('parses plain non-negative digits', () => {
      expect(parseInteger('0')).to.equal(0);
      expect(parseInteger('42')).to.equal(42);
      expect(parseInteger('007')).to.equal(7);
    });

    it('accepts the int32 maximum and refuses anything above it', () => {
      expect(parseInteger('2147483647')).to.equal(2147483647);
      expect(parseInteger('2147483648')).to.equal(undefined);
    });

    it('refuses signs, decimals, exponents, spaces and empty text', () => {
      for (const text of ['-1', '+1', '1.0', '4.5', '1e3', ' 1', '1 ', '', 'abc', '12a']) {
        expect(parseInteger(text), text).to.equal(undefined);
      }
    });
  });

  describe('parseAmount', () => {
    it('parses whole and decimal amounts', () => {
      expect(parseAmount('1000.00')).to.equal(1000);
      expect(parseAmount('18856.28')).to.equal(18856.28);
      expect(parseAmount('.5')).to.equal(0.5);
      expect(parseAmount('5.')).to.equal(5);
      expect(parseAmount('1e3')).to.equal(1000);
    });

    it('rounds to 2 decimals half away from zero for small amounts', () => {
      expect(parseAmount('1.005')).to.equal(1.01);
      expect(parseAmount('2.675')).to.equal(2.68);
      expect(parseAmount('0.005')).to.equal(0.01);
      expect(parseAmount('-0.005')).to.equal(-0.01);
      expect(parseAmount('-12.345')).to.equal(-12.35);
      expect(parseAmount('+3.14159')).to.equal(3.14);
      expect(parseAmount('1.0049')).to.equal(1);
    });

    // Regression: rounding the binary double instead of the decimal text sent some exact halves toward zero.
    it('rounds every exact half away from zero, whatever the magnitude', () => {
      expect(parseAmount('2.135')).to.equal(2.14);
      expect(parseAmount('4.015')).to.equal(4.02);
      expect(parseAmount('-4.015')).to.equal(-4.02);
      expect(parseAmount('1234.565')).to.equal(1234.57);
      for (let cents = 0; cents < 100_000; cents++) {
        const text = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}5`;
        expect(parseAmount(text), text).to.equal((cents + 1) / 100);
      }
    });

    it('keeps negative amounts', () => {
      expect(parseAmount('-250.10')).to.equal(-250.1);
    });

    it('never returns negative zero', () => {
      const value = parseAmount('-0.001');
      expect(value).to.equal(0);
      expect(Object.is(value, -0)).to.equal(false);
    });

    it('refuses amounts beyond ±MAX_AMOUNT, which the cents or a sum could not hold (1e308 was stored as Infinity)', () => {
      expect(MAX_AMOUNT).to.equal(9_999_999_999_999.99);
      for (const text of ['1e308', '-1e308', '1.7e308', '1e13', '10000000000000', '-9999999999999.995']) {
        expect(parseAmount(text), text).to.equal(undefined);
      }
      expect(parseAmount('9999999999999.99')).to.equal(MAX_AMOUNT);
      expect(parseAmount('-9999999999999.994')).to.equal(-MAX_AMOUNT);
      expect(parseAmount('9.9999999999999e12')).to.equal(9_999_999_999_999.9);
    });

    it('refuses text that is not a finite decimal number', () => {
      for (const text of ['abc', '1e400', '', '12.5.1', '$100', '1,000', ' 1', '0x10', 'Infinity', 'NaN', '.']) {
        expect(parseAmount(text), text).to.equal(undefined);
      }
    });
  });

  describe('parseDate', () => {
    it('returns the date at UTC midnight', () => {
      const date = parseDate('2023-12-31');
      expect(date).to.be.instanceOf(Date);
      expect(date!.toISOString()).to.equal('2023-12-31T00:00:00.000Z');
    });

    it('accepts 29 February in leap years only', () => {
      expect(parseDate('2024-02-29')!.toISOString()).to.equal('2024-02-29T00:00:00.000Z');
      expect(parseDate('2000-02-29')!.toISOString()).to.equal('2000-02-29T00:00:00.000Z');
      expect(parseDate('2023-02-29')).to.equal(undefined);
      expect(parseDate('1900-02-29')).to.equal(undefined);
    });

    it('refuses days and months that do not exist', () => {
      for (const text of ['2023-04-31', '2023-02-30', '2023-13-01', '2023-00-10', '2023-01-00', '2023-01-32']) {
        expect(parseDate(text), text).to.equal(undefined);
      }
    });

    it('refuses other formats', () => {
      for (const text of [
        '2023/01/05',
        '05-01-2023',
        '2023-1-5',
        '20230105',
        '2023-01-05T00:00:00Z',
        ' 2023-01-05',
        '',
      ]) {
        expect(parseDate(text), text).to.equal(undefined);
      }
    });

    it('keeps years below 100 as written instead of mapping them to 19xx', () => {
      expect(parseDate('0099-12-31')!.getUTCFullYear()).to.equal(99);
    });
  });
});
