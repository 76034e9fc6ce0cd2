import { expect } from 'chai';
import { ChunkBuilder, type Chunk } from '@hcingest/shared';
import { RecordSplitter, splitRecords } from '@hcingest/shared';

const record = (i: number) => Buffer.from(`row ${i},é`);

/** Adds records that each sit in their own buffer (the worst case for the builder). */
function addRecords(builder: ChunkBuilder, count: number, lineOf = (i: number) => i * 2) {
  for (let i = 1; i <= count; i++) {
    const b = record(i);
    builder.add(b, 0, b.length, lineOf(i));
  }
}

/** What a worker recovers from a chunk: each record with its absolute line number. */
const recovered = (c: Chunk) => splitRecords(c.text).map((r) => ({ text: r.text, line: c.firstLine + r.line - 1 }));

/** Splits a whole file the way the producer does, fed in pieces of `pieceSize` bytes. */
function chunksOf(file: Buffer, size: number, pieceSize: number): Chunk[] {
  const builder = new ChunkBuilder(size);
  const splitter = new RecordSplitter((buf, start, end, line) => builder.add(buf, start, end, line));
  const chunks: Chunk[] = [];
  for (let at = 0; at < file.length; at += pieceSize) {
    splitter.push(file.subarray(at, at + pieceSize));
    chunks.push(...builder.takeFull());
  }
  splitter.end();
  return [...chunks, ...builder.takeAll()];
}

describe('producer/chunkBuilder', () => {
  it('seals a chunk every N records', () => {
    const builder = new ChunkBuilder(3);
    addRecords(builder, 7);
    const full = builder.takeFull();
    expect(full.map((c) => c.index)).to.deep.equal([0, 1]);
    expect(full.map((c) => c.rows)).to.deep.equal([3, 3]);
    expect(builder.chunks).to.equal(2);
    expect(builder.rows).to.equal(7);
  });

  it('numbers rows from 1 across chunks with firstRow', () => {
    const builder = new ChunkBuilder(3);
    addRecords(builder, 7);
    expect(builder.takeAll().map((c) => c.firstRow)).to.deep.equal([1, 4, 7]);
  });

  it('joins records from separate buffers so that they split back with their line numbers', () => {
    const builder = new ChunkBuilder(3);
    addRecords(builder, 3);
    const [chunk] = builder.takeFull();
    expect(chunk!.firstLine).to.equal(2);
    expect(recovered(chunk!)).to.deep.equal([
      { text: 'row 1,é', line: 2 },
      { text: 'row 2,é', line: 4 },
      { text: 'row 3,é', line: 6 },
    ]);
    expect(builder.lastLine).to.equal(6);
  });

  it('emits the last partial chunk only on takeAll', () => {
    const builder = new ChunkBuilder(4);
    addRecords(builder, 6, (i) => i + 1);
    expect(builder.takeFull()).to.have.length(1);
    expect(builder.takeFull()).to.deep.equal([]);
    const rest = builder.takeAll();
    expect(rest).to.deep.equal([{ index: 1, firstRow: 5, firstLine: 6, rows: 2, text: 'row 5,é\nrow 6,é' }]);
    expect(builder.chunks).to.equal(2);
  });

  it('adds no empty chunk when the records fill the last chunk exactly', () => {
    const builder = new ChunkBuilder(2);
    addRecords(builder, 4);
    expect(builder.takeAll().map((c) => c.firstRow)).to.deep.equal([1, 3]);
    expect(builder.takeAll()).to.deep.equal([]);
  });

  it('builds no chunk for no records', () => {
    const builder = new ChunkBuilder(5);
    expect(builder.takeAll()).to.deep.equal([]);
    expect(builder.chunks).to.equal(0);
  });

  it('makes one chunk per record with size 1', () => {
    const builder = new ChunkBuilder(1);
    addRecords(builder, 3);
    expect(builder.takeFull().map((c) => [c.index, c.firstRow, c.rows, c.text])).to.deep.equal([
      [0, 1, 1, 'row 1,é'],
      [1, 2, 1, 'row 2,é'],
      [2, 3, 1, 'row 3,é'],
    ]);
  });

  it('does not let later records change an already sealed chunk', () => {
    const builder = new ChunkBuilder(2);
    addRecords(builder, 2);
    const [first] = builder.takeFull();
    addRecords(builder, 3);
    expect(first!.text).to.equal('row 1,é\n\nrow 2,é');
    expect(recovered(first!).map((r) => r.line)).to.deep.equal([2, 4]);
  });

  it('keeps a chunk that lies in one read buffer as the file bytes: one range, CRLF and blank lines included', () => {
    const file = Buffer.from('a,1\r\nb,2\r\n\r\n  \r\nc,3\r\nd,4\r\n');
    const [first, second] = chunksOf(file, 3, 1 << 20);
    expect(first).to.deep.equal({ index: 0, firstRow: 1, firstLine: 1, rows: 3, text: 'a,1\r\nb,2\r\n\r\n  \r\nc,3' });
    expect(recovered(first!)).to.deep.equal([
      { text: 'a,1', line: 1 },
      { text: 'b,2', line: 2 },
      { text: 'c,3', line: 5 },
    ]);
    expect(second).to.deep.equal({ index: 1, firstRow: 4, firstLine: 6, rows: 1, text: 'd,4' });
  });

  it('recovers every record and its exact line from the chunks, whatever the read pieces and chunk size', () => {
    const lines = [
      'h1,h2',
      'a,"Matthew',
      'Smith"',
      '',
      '"x,""y""",z',
      '   ',
      'é,😀',
      '"multi',
      '',
      'line",end',
      'last,row',
    ];
    for (const eol of ['\n', '\r\n']) {
      const file = Buffer.from(lines.join(eol) + eol, 'utf8');
      const expected = splitRecords(file.toString('utf8'));
      for (const size of [1, 2, 3, 7]) {
        for (const piece of [1, 2, 3, 5, 8, 13, 1 << 20]) {
          const chunks = chunksOf(file, size, piece);
          const got = chunks.flatMap(recovered);
          expect(got, `eol ${JSON.stringify(eol)} size ${size} piece ${piece}`).to.deep.equal(expected);
          expect(chunks.map((c) => c.rows).reduce((a, b) => a + b, 0)).to.equal(expected.length);
          expect(chunks.map((c) => c.firstRow)).to.deep.equal(chunks.map((_, i) => i * size + 1));
        }
      }
    }
  });
});
