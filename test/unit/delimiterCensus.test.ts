import { expect } from 'chai';
import { DelimiterCensus } from '@hcingest/shared';

/** The census of a file fed in pieces of `size` bytes. */
function census(text: string, size = 7): DelimiterCensus {
  const c = new DelimiterCensus();
  const buf = Buffer.from(text);
  for (let at = 0; at < buf.length; at += size) c.push(buf.subarray(at, at + size));
  c.end();
  return c;
}

describe('shared/file/DelimiterCensus: rows written with another delimiter than the header', () => {
  it('finds none in a consistent file, whatever the pieces, quotes and blank lines', () => {
    const text = 'a,b,c\r\n1,"x,y",3\r\n\r\n4,"multi\nline; with ;",6\n7,8,9';
    for (const size of [1, 2, 3, 7, 100]) expect(census(text, size).otherThan(',')).to.equal(undefined);
  });

  it('names the other delimiter, the first line and how many rows', () => {
    const c = census('a;b;c\n1;2;3\n4,5,6\n"q\nq";8;9\n7,8,9\n');
    expect(c.otherThan(';')).to.deep.equal({ delimiter: ',', firstLine: 3, rows: 2 });
  });

  it('counts a tab row in a comma file, and not a row that is merely short', () => {
    const c = census('a,b,c\n1\t2\t3\n1,2\n');
    expect(c.otherThan(',')).to.deep.equal({ delimiter: '\t', firstLine: 2, rows: 1 });
    expect(census('a,b,c\n1,2\n4,5,6,7\n').otherThan(',')).to.equal(undefined);
  });

  it('does not take a delimiter the header itself contains for another', () => {
    // A comma header whose names hold a semicolon: a row with that many semicolons is just short.
    expect(census('a;x,b,c\n1;2;3\n').otherThan(',')).to.equal(undefined);
  });
});
