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

/**
 * The census written the plain way, over the whole text at once: records split at line feeds
 * outside quotes, delimiters counted outside quotes, a record of nothing but CRs skipped, the
 * first record the header; a record is written with delimiter j instead of the header's k when
 * it does not hold the header's count of k but holds that count of j, a delimiter the header
 * lacks.
 */
function reference(text: string): Map<string, { delimiter: string; firstLine: number; rows: number }> {
  const delimiters = [',', ';', '\t'];
  const found = new Map<string, { delimiter: string; firstLine: number; rows: number }>();
  let header: number[] | undefined;
  let record = '';
  let recordLine = 1;
  let line = 1;
  let inQuote = false;
  const endRecord = () => {
    const counts = delimiters.map((d) => countOutsideQuotes(record, d));
    const blank = record.replace(/\r/g, '') === '';
    const at = recordLine;
    record = '';
    recordLine = line;
    if (blank) return;
    if (!header) return void (header = counts);
    const h = header;
    delimiters.forEach((d, k) => {
      if (counts[k] === h[k]) return;
      const other = delimiters.findIndex((_, j) => j !== k && h[j] === 0 && counts[j] === h[k]);
      if (other === -1) return;
      const seen = found.get(d);
      if (seen) seen.rows++;
      else found.set(d, { delimiter: delimiters[other]!, firstLine: at, rows: 1 });
    });
  };
  for (const ch of text) {
    if (ch === '"') inQuote = !inQuote;
    if (ch === '\n') line++;
    if (ch === '\n' && !inQuote) endRecord();
    else record += ch;
  }
  if (record.replace(/\r/g, '') !== '') endRecord();
  return found;
}

function countOutsideQuotes(record: string, d: string): number {
  let n = 0;
  let inQuote = false;
  for (const ch of record) {
    if (ch === '"') inQuote = !inQuote;
    else if (ch === d && !inQuote) n++;
  }
  return n;
}

/** A pseudo-random text of CSV-like rows: quotes, CRLF, blank lines, other delimiters, multi-line fields. */
function randomText(seed: number): string {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const field = () =>
    rnd() < 0.3
      ? `"${Array.from({ length: Math.floor(rnd() * 5) }, () => pick(['a', ',', ';', '\t', '""', '\n', '\r\n', 'é'])).join('')}"`
      : Array.from({ length: Math.floor(rnd() * 3) }, () => pick(['x', ' ', 'é', '\r'])).join('');
  const own = pick([',', ';', '\t']);
  const width = 1 + Math.floor(rnd() * 4);
  const row = (d: string, n: number) => Array.from({ length: n }, field).join(d);
  const lines = [row(own, width)];
  for (let r = Math.floor(rnd() * 10); r > 0; r--) {
    const d = rnd() < 0.3 ? pick([',', ';', '\t']) : own;
    lines.push(rnd() < 0.1 ? pick(['', '\r', '  ']) : row(d, rnd() < 0.8 ? width : width + pick([-1, 1])));
  }
  const text = lines.map((l) => l + pick(['\n', '\r\n', '\n\n'])).join('');
  return rnd() < 0.3 ? text.replace(/[\r\n]+$/, '') : text;
}

describe('shared/file/DelimiterCensus: same findings as counting every record, whatever the pieces', () => {
  const findings = (c: DelimiterCensus) =>
    new Map(([',', ';', '\t'] as const).flatMap((d) => (c.otherThan(d) ? [[d, c.otherThan(d)!] as const] : [])));

  it('agrees with the plain count on 3,000 generated texts fed in pieces of 1 to 64 bytes', () => {
    let flagged = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const text = randomText(seed);
      const expected = reference(text);
      flagged += expected.size;
      for (const size of [1, 2, 3, 5, 13, 64]) {
        expect(findings(census(text, size)), `seed ${seed}, pieces of ${size}: ${JSON.stringify(text)}`).to.deep.equal(
          expected,
        );
      }
    }
    expect(flagged, 'texts with rows in another delimiter').to.be.greaterThan(1000);
  });

  it('does not count delimiters inside quotes, even where they are all a row holds', () => {
    // Counted inside the quotes, each row would hold two semicolons: the header's two commas.
    const text = 'a,b,c\n"x;y;z"\n1,"p;q;r",3\n"multi\nline;;"\n';
    for (const size of [1, 2, 3, 4, 100])
      expect(census(text, size).otherThan(','), `pieces of ${size}`).to.equal(undefined);
    // The same rows unquoted are semicolon rows.
    expect(census('a,b,c\nx;y;z\n1,2,3\np;q;r\n').otherThan(',')).to.deep.equal({
      delimiter: ';',
      firstLine: 2,
      rows: 2,
    });
  });

  it('reads CRLF files, with a piece boundary between CR and LF or inside a quoted field', () => {
    const text = 'a;b;c\r\n1;"x,y\r\nz";3\r\n\r\n4,5,6\r\n7;8;9\r\n"q;q",8,9\r\n';
    const expected = { delimiter: ',', firstLine: 5, rows: 2 };
    // Every piece size up to the whole text puts a boundary at every position at least once.
    for (let size = 1; size <= text.length; size++) {
      expect(census(text, size).otherThan(';'), `pieces of ${size}`).to.deep.equal(expected);
    }
  });

  it('numbers lines past multi-line quoted fields and blank lines', () => {
    const text = 'a,b\n"1\n2\n3",x\n\n\n4;5\n"6;\n7",8\n9;"\n"\n';
    for (const size of [1, 2, 5, 1000]) {
      expect(census(text, size).otherThan(','), `pieces of ${size}`).to.deep.equal({
        delimiter: ';',
        firstLine: 7,
        rows: 2,
      });
    }
  });
});
