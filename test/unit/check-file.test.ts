import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { COLUMNS, DelimiterCensus, checkFile, scanFile } from '@hcingest/shared';

/** What a promise rejects with (its message), or null when it resolves. */
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: Error) => e.message,
  );

/** A row of the 15 columns; `quoted` is put, quoted, in the first field. */
const row = (d: string, n: number, quoted = '') =>
  [`"${quoted}${n}"`, ...COLUMNS.slice(1).map((_, i) => `v${i}`)].join(d);

describe('shared/file/checkFile: a file mixing delimiters is refused before anything is written', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'hc-check-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('names the header delimiter, the other one, how many rows and the first line', async () => {
    const semi = write(
      'semi.csv',
      `${COLUMNS.join(';')}\n${row(';', 1)}\n${row(';', 2)}\n${row(',', 3)}\n${row(',', 4)}\n`,
    );
    expect(await failure(checkFile(semi, 'utf8'))).to.equal(
      `${semi}: the header is ;-separated but 2 row(s) are ,-separated (first at line 4): a file must use one delimiter`,
    );
    const comma = write('comma.csv', `${COLUMNS.join(',')}\r\n${row(',', 1)}\r\n\r\n${row('\t', 2)}\r\n`);
    expect(await failure(checkFile(comma, 'utf8'))).to.equal(
      `${comma}: the header is ,-separated but 1 row(s) are tab-separated (first at line 4): a file must use one delimiter`,
    );
  });

  it('accepts rows whose quoted fields hold other delimiters, and rows that are merely short', async () => {
    const text = `${COLUMNS.join(',')}\n${row(',', 1, ';;;;;;;;;;;;;;\n\t')}\n"${';'.repeat(14)}"\n1,2\n`;
    expect((await checkFile(write('quoted.csv', text), 'utf8')).header.delimiter).to.equal(',');
  });

  it('reads the whole file: other rows past the first read buffer, a quoted field across its end', async () => {
    // Comma rows up to the 1 MiB boundary of the file's reads, which falls inside a quoted
    // multi-line field holding semicolons; more such rows, then two semicolon rows.
    const READ = 1 << 20;
    let text = `${COLUMNS.join(',')}\r\n`;
    for (let n = 1; text.length < READ - 200; n++) text += `${row(',', n)}\r\n`;
    const across = row(',', 0, `${';'.repeat(READ - text.length)}\r\n;;`);
    expect(text.length + across.indexOf('"'), 'the quote opens before the boundary').to.be.lessThan(READ);
    text += `${across}\r\n`;
    for (let n = 1; n < 2000; n++) text += `${row(',', n, n % 7 === 0 ? 'a;b\r\nc;d\n' : '')}\r\n`;
    expect(await checkFile(write('big.csv', text), 'utf8')).to.have.property('header');

    const line = text.split('\n').length;
    const path = write('big-mixed.csv', `${text}${row(';', 0)}\r\n${row(';', 0, 'x,y\n')}\r\n`);
    expect(await failure(checkFile(path, 'utf8'))).to.equal(
      `${path}: the header is ,-separated but 2 row(s) are ;-separated (first at line ${line}): a file must use one delimiter`,
    );
  });

  it('counts alike whatever the read size: boundaries inside quoted fields and between CR and LF', async () => {
    const text =
      `${COLUMNS.join(';')}\r\n${row(';', 1, 'x,y\r\nz,')}\r\n\r\n` +
      `${row(',', 2)}\r\n${row(';', 3, '\r\n')}\r\n${row(',', 4, ';\n;')}\r\n`;
    const path = write('pieces.csv', text);
    for (let size = 1; size <= 64; size++) {
      const census = new DelimiterCensus();
      await scanFile(path, 'utf8', size, census);
      expect(census.otherThan(';'), `read size ${size}`).to.deep.equal({ delimiter: ',', firstLine: 5, rows: 2 });
    }
  });
});
