import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import {
  COLUMNS,
  ChunkStream,
  InvalidChunkJobError,
  detectCompression,
  formatReport,
  parseChunkRows,
  parseDelimiter,
  readChunkJob,
  readHeader,
  scanFile,
  toReport,
  type ChunkJobData,
} from '@hcingest/shared';
import { loadIdFor } from '@hcingest/producer';

/** What a promise rejects with (its message), or null when it resolves. */
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: Error) => e.message,
  );

describe('shared/file: gzip-compressed files and ; or tab delimiters', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'hc-forms-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, bytes: Buffer | string) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  const text = Buffer.from(`${COLUMNS.join(',')}\nDésirée,30\n中文,40\n😀,50\n`, 'utf8');

  describe('gzip', () => {
    it('is recognised by its magic bytes 1f 8b, whatever the name', async () => {
      expect(await detectCompression(write('plain.gz', text))).to.equal(undefined);
      expect(await detectCompression(write('packed.csv', gzipSync(text)))).to.equal('gzip');
      expect(await detectCompression(write('one.csv', Buffer.from([0x1f])))).to.equal(undefined);
    });

    it('scans the decompressed text but hashes and counts the bytes as given, whatever the read size', async () => {
      const packed = gzipSync(text);
      const path = write('ok.csv.gz', packed);
      const sha256 = createHash('sha256').update(packed).digest('hex');
      const contentSha256 = createHash('sha256').update(text).digest('hex');
      for (const size of [1, 7, 64, 1 << 20]) {
        expect(await scanFile(path, 'utf8', size), `read size ${size}`).to.deep.equal({
          name: 'ok.csv.gz',
          bytes: packed.length,
          sha256,
          contentSha256,
          compression: 'gzip',
        });
      }
    });

    it('gives a file and its gzip (at any level) one content hash, hence one load id; other text another', async () => {
      const plain = await scanFile(write('same.csv', text));
      expect(plain.contentSha256, 'a plain file: the hash of its bytes, as before').to.equal(plain.sha256);
      for (const level of [1, 9]) {
        const packed = await scanFile(write(`same-${level}.csv.gz`, gzipSync(text, { level })));
        expect(packed.sha256).to.not.equal(plain.sha256);
        expect(packed.contentSha256, `level ${level}`).to.equal(plain.contentSha256);
        expect(loadIdFor(packed.contentSha256, {})).to.equal(loadIdFor(plain.contentSha256, {}));
      }
      const other = await scanFile(write('other.csv.gz', gzipSync(Buffer.concat([text, Buffer.from('x,1\n')]))));
      expect(loadIdFor(other.contentSha256, {})).to.not.equal(loadIdFor(plain.contentSha256, {}));
    });

    it('refuses a truncated or corrupt gzip, saying so', async () => {
      const packed = gzipSync(text);
      const truncated = await failure(scanFile(write('cut.csv.gz', packed.subarray(0, packed.length - 10))));
      expect(truncated).to.match(
        /is gzip-compressed but cannot be decompressed \(corrupt or truncated: it is truncated\)/,
      );
      const corrupt = Buffer.from(packed);
      corrupt.fill(0xff, 10, 30);
      expect(await failure(scanFile(write('bad.csv.gz', corrupt)))).to.include('cannot be decompressed');
    });

    it('gives offsets of problems in the decompressed text, and says so', async () => {
      const bad = gzipSync(Buffer.from([0x41, 0x42, 0x0a, 0x92, 0x0a]));
      expect(await failure(scanFile(write('cp.csv.gz', bad)))).to.include(
        'at byte offset 3 of the decompressed text; byte 0x92',
      );
      const nul = gzipSync(Buffer.from('ab\ncd\0\n'));
      expect(await failure(scanFile(write('nul.csv.gz', nul)))).to.include(
        'NUL byte at offset 5 of the decompressed text',
      );
      expect(await failure(scanFile(write('empty.csv.gz', gzipSync(Buffer.alloc(0)))))).to.include(
        'is empty once decompressed',
      );
    });

    it('reads the header and streams the same chunks as the plain file', async () => {
      const rows = Array.from({ length: 25 }, (_, i) => `row ${i},"x\ny"`).join('\n');
      const plainText = `${COLUMNS.join(',')}\n${rows}\n`;
      const plain = write('p.csv', plainText);
      const packed = write('p.csv.gz', gzipSync(plainText));
      expect((await readHeader(packed, 'utf8', { compression: 'gzip' })).fields).to.deep.equal([...COLUMNS]);
      const chunks = async (s: ChunkStream) => {
        const out = [];
        for await (const c of s) out.push(c);
        return out;
      };
      const fromGzip = await chunks(new ChunkStream(packed, 4, 'utf8', 'gzip'));
      expect(fromGzip).to.have.length(7);
      expect(fromGzip).to.deep.equal(await chunks(new ChunkStream(plain, 4)));
    });
  });

  describe('delimiters', () => {
    it('detects the one of , ; and tab that splits the header into the columns', async () => {
      for (const d of [',', ';', '\t'] as const) {
        const header = await readHeader(write(`h${d.charCodeAt(0)}.csv`, `${COLUMNS.join(d)}\nrow\n`));
        expect(header.delimiter, JSON.stringify(d)).to.equal(d);
        expect(header.fields).to.deep.equal([...COLUMNS]);
      }
    });

    it('reads a quoted header field holding another delimiter as one field', async () => {
      const fields = [...COLUMNS, 'Notes, remarks'];
      const line = fields.map((f) => (f.includes(',') ? `"${f}"` : f)).join(';');
      const header = await readHeader(write('quoted.csv', `${line}\n`));
      expect(header.delimiter).to.equal(';');
      expect(header.map.extras).to.deep.equal(['Notes, remarks']);
    });

    it('reads with the delimiter given, and says which one the header looks like when it does not fit', async () => {
      const path = write('semi.csv', `${COLUMNS.join(';')}\n`);
      expect((await readHeader(path, 'utf8', { delimiter: ';' })).delimiter).to.equal(';');
      expect(await failure(readHeader(path, 'utf8', { delimiter: '\t' }))).to.include(
        'the header looks ; (semicolon)-separated: pass --delimiter ;',
      );
    });

    it('still refuses a | header, and names the column a ;-separated header lacks', async () => {
      expect(await failure(readHeader(write('pipe.csv', `${COLUMNS.join('|')}\n`)))).to.include(
        'the header looks | (pipe)-separated: only comma-, semicolon- and tab-separated files are read',
      );
      const lacking = await failure(readHeader(write('lack.csv', `${COLUMNS.slice(1).join(';')}\n`)));
      expect(lacking).to.include(COLUMNS[0]).and.to.not.include('looks');
    });

    it('parses --delimiter values', () => {
      expect([',', ';', 'tab', 'TAB', '\\t', '\t', 'semicolon'].map(parseDelimiter)).to.deep.equal([
        ',',
        ';',
        '\t',
        '\t',
        '\t',
        '\t',
        ';',
      ]);
      expect(() => parseDelimiter('|')).to.throw(/pipe-separated files are not read/);
      expect(() => parseDelimiter(':')).to.throw(/unsupported delimiter/);
    });

    it("parses a chunk with the job's delimiter, quoting as with commas", async () => {
      const semi = await parseChunkRows({
        text: 'a;"b;c"\r\n"multi\nline";2,5\n\nx;"say ""hi"""',
        rows: 3,
        firstRow: 1,
        firstLine: 2,
        delimiter: ';',
      });
      expect(semi).to.deep.equal([
        { row: 1, line: 2, fields: ['a', 'b;c'] },
        { row: 2, line: 3, fields: ['multi\nline', '2,5'] },
        { row: 3, line: 6, fields: ['x', 'say "hi"'] },
      ]);
      const tab = await parseChunkRows({
        text: 'a\t"b\tc"\t,;\nd\t\te',
        rows: 2,
        firstRow: 7,
        firstLine: 9,
        delimiter: '\t',
      });
      expect(tab.map((r) => r.fields)).to.deep.equal([
        ['a', 'b\tc', ',;'],
        ['d', '', 'e'],
      ]);
      // Without a delimiter, a comma: jobs enqueued before delimiters existed read as they did.
      const comma = await parseChunkRows({ text: 'a;b,c', rows: 1, firstRow: 1, firstLine: 2 });
      expect(comma[0]!.fields).to.deep.equal(['a;b', 'c']);
    });

    it('the chunk job carries an optional delimiter, checked by readChunkJob', () => {
      const job: ChunkJobData = {
        loadId: 'L1',
        chunk: 0,
        firstRow: 1,
        header: [...COLUMNS],
        firstLine: 2,
        rows: 1,
        text: 'x',
      };
      expect(readChunkJob(job)).to.deep.equal(job);
      expect(readChunkJob({ ...job, delimiter: '\t' })).to.deep.equal({ ...job, delimiter: '\t' });
      expect(() => readChunkJob({ ...job, delimiter: '|' }))
        .to.throw(InvalidChunkJobError)
        .with.property('message', 'chunk job has an invalid delimiter');
    });
  });

  it('the report says a file was gzip-compressed and its delimiter when not a comma', () => {
    const doc = {
      _id: 'L1',
      seq: 1,
      file: { name: 'x.csv.gz', bytes: 1234, sha256: 'ab'.repeat(32), compression: 'gzip' as const },
      delimiter: '\t' as const,
      chunkSize: 10,
      startedAt: new Date('2024-05-01T10:00:00Z'),
      chunksTotal: 0,
      rowsRead: 0,
      enqueuedAt: new Date('2024-05-01T10:00:01Z'),
    };
    const report = toReport(doc, [], []);
    expect(report).to.include({ compression: 'gzip', delimiter: '\t' });
    expect(formatReport(report)).to.include('file       x.csv.gz (1,234 bytes, gzip, tab-separated, sha256 abababab');
    const plain = toReport(
      { ...doc, file: { name: 'x.csv', bytes: 5, sha256: 'cd'.repeat(32) }, delimiter: ',' },
      [],
      [],
    );
    expect(plain).to.not.have.any.keys('compression', 'delimiter');
    expect(formatReport(plain)).to.include('file       x.csv (5 bytes, sha256 cdcd');
  });
});
