import { expect } from 'chai';
import { COLUMNS, fitsHeader, HeaderError, mapHeader } from '@hcingest/shared';

function thrown(fn: () => unknown): HeaderError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(HeaderError);
    return err as HeaderError;
  }
  return expect.fail('expected a HeaderError');
}

describe('schema/header mapHeader', () => {
  it('maps the exact header to positions 0..14 with no extras', () => {
    const map = mapHeader([...COLUMNS]);
    expect(map.indexes).to.deep.equal(COLUMNS.map((_, i) => i));
    expect(map.extras).to.deep.equal([]);
    expect(map.width).to.equal(15);
  });

  it('finds the columns in any order', () => {
    const reversed = [...COLUMNS].reverse();
    const map = mapHeader(reversed);
    COLUMNS.forEach((column, i) => expect(reversed[map.indexes[i]!]).to.equal(column));
    expect(map.indexes).to.deep.equal(COLUMNS.map((_, i) => 14 - i));
  });

  it('compares names case-insensitively and trims them', () => {
    const fields = COLUMNS.map((c, i) => (i % 2 === 0 ? `  ${c.toUpperCase()} ` : `\t${c.toLowerCase()}`));
    expect(mapHeader(fields).indexes).to.deep.equal(COLUMNS.map((_, i) => i));
  });

  it('ignores a UTF-8 BOM before the first name', () => {
    const fields = [`\uFEFF${COLUMNS[0]}`, ...COLUMNS.slice(1)];
    const map = mapHeader(fields);
    expect(map.indexes[0]).to.equal(0);
    expect(map.extras).to.deep.equal([]);
  });

  it('reports extra columns, trimmed, and counts them in the width', () => {
    const fields = ['id', ...COLUMNS.slice(0, 5), ' Notes ', ...COLUMNS.slice(5)];
    const map = mapHeader(fields);
    expect(map.extras).to.deep.equal(['id', 'Notes']);
    expect(map.width).to.equal(17);
    COLUMNS.forEach((column, i) => expect(fields[map.indexes[i]!]).to.equal(column));
  });

  it('treats empty cells after the last named column as absent (a trailing comma), not as extra columns', () => {
    const map = mapHeader([...COLUMNS, '', ' ']);
    expect(map.width).to.equal(15);
    expect(map.trailingEmpty).to.equal(2);
    expect(map.extras).to.deep.equal([]);
    // An empty cell between named ones is still a column of its own.
    const inner = mapHeader([...COLUMNS.slice(0, 3), '', ...COLUMNS.slice(3), '']);
    expect([inner.width, inner.trailingEmpty, inner.extras]).to.deep.equal([16, 1, ['']]);
  });

  it('fits rows with or without the trailing empty fields alike, and nothing else', () => {
    const map = mapHeader([...COLUMNS, '']);
    const row = COLUMNS.map(() => 'x');
    expect(fitsHeader(row, map), 'without the trailing comma').to.equal(true);
    expect(fitsHeader([...row, ''], map), 'with it').to.equal(true);
    expect(fitsHeader([...row, ' '], map), 'with a blank trailing field').to.equal(true);
    expect(fitsHeader([...row, 'extra'], map), 'a value in the trailing column').to.equal(false);
    expect(fitsHeader([...row, '', ''], map), 'more fields than the header').to.equal(false);
    expect(fitsHeader(row.slice(1), map), 'fewer fields').to.equal(false);
    const strict = mapHeader([...COLUMNS]);
    expect(fitsHeader(row, strict)).to.equal(true);
    expect(fitsHeader([...row, ''], strict), 'no trailing comma in the header: exact width').to.equal(false);
  });

  it('names a missing column in the message and in .missing', () => {
    const err = thrown(() => mapHeader(COLUMNS.filter((c) => c !== 'Billing Amount')));
    expect(err.name).to.equal('HeaderError');
    expect(err.message).to.contain('"Billing Amount"');
    expect(err.missing).to.deep.equal(['Billing Amount']);
  });

  it('names every missing column', () => {
    const err = thrown(() => mapHeader(COLUMNS.filter((c) => c !== 'Doctor' && c !== 'Test Results')));
    expect(err.message).to.contain('"Doctor"').and.to.contain('"Test Results"');
    expect(err.missing).to.deep.equal(['Doctor', 'Test Results']);
  });

  it('treats a misspelled column as missing and the misspelling as foreign', () => {
    const err = thrown(() => mapHeader(COLUMNS.map((c) => (c === 'Blood Type' ? 'BloodType' : c))));
    expect(err.missing).to.deep.equal(['Blood Type']);
  });

  it('refuses a duplicated column, naming it', () => {
    const err = thrown(() => mapHeader([...COLUMNS, 'hospital']));
    expect(err.message).to.contain('"Hospital"');
    expect(err.missing).to.deep.equal([]);
  });

  it('refuses an empty header', () => {
    expect(thrown(() => mapHeader([])).missing).to.deep.equal([...COLUMNS]);
  });
});
