import { expect } from 'chai';
import { ROWS_PER_LOAD, rowVersion } from '@hcingest/shared';

describe('rules/version', () => {
  it('orders any row of a later load after any row of an earlier load', () => {
    const lastRowOfEarlier = ROWS_PER_LOAD - 1;
    for (const seq of [1, 2, 17, 900_000]) {
      expect(rowVersion(seq + 1, 1)).to.be.greaterThan(rowVersion(seq, lastRowOfEarlier));
      expect(rowVersion(seq + 1, 1)).to.be.greaterThan(rowVersion(seq, 1));
    }
  });

  it('orders a later row after an earlier row within a load', () => {
    for (const seq of [1, 5, 900_000]) {
      expect(rowVersion(seq, 2)).to.be.greaterThan(rowVersion(seq, 1));
      expect(rowVersion(seq, ROWS_PER_LOAD - 1)).to.be.greaterThan(rowVersion(seq, ROWS_PER_LOAD - 2));
    }
  });

  it('gives distinct exact integers for distinct (load, row) pairs', () => {
    const v = rowVersion(900_000, 9_999_999_999);
    expect(Number.isSafeInteger(v)).to.equal(true);
    expect(rowVersion(3, 7)).to.equal(3 * ROWS_PER_LOAD + 7);
  });

  it('refuses a load sequence that is not a positive integer', () => {
    for (const seq of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => rowVersion(seq, 1), String(seq)).to.throw(RangeError, /bad load sequence/);
    }
  });

  it('refuses a row outside 1..ROWS_PER_LOAD-1', () => {
    for (const row of [0, -1, 2.5, ROWS_PER_LOAD, ROWS_PER_LOAD + 1, Number.NaN]) {
      expect(() => rowVersion(1, row), String(row)).to.throw(RangeError, /bad row/);
    }
  });
});
