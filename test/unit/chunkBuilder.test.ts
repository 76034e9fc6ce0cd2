import { expect } from 'chai';
import { ChunkBuilder } from '@hcingest/producer/chunkBuilder';
import { splitRecords } from '@hcingest/shared/csv/recordSplitter';

const record = (i: number) => Buffer.from(`row ${i},é`);

function addRecords(builder: ChunkBuilder, count: number, lineOf = (i: number) => i * 2) {
  for (let i = 1; i <= count; i++) builder.add(record(i), lineOf(i));
}

describe('producer/chunkBuilder', () => {
  it('seals a chunk every N records', () => {
    const builder = new ChunkBuilder(3);
    addRecords(builder, 7);
    const full = builder.takeFull();
    expect(full.map((c) => c.index)).to.deep.equal([0, 1]);
    expect(full.map((c) => c.lines.length)).to.deep.equal([3, 3]);
    expect(builder.chunks).to.equal(2);
    expect(builder.rows).to.equal(7);
  });

  it('numbers rows from 1 across chunks with firstRow', () => {
    const builder = new ChunkBuilder(3);
    addRecords(builder, 7);
    expect(builder.takeAll().map((c) => c.firstRow)).to.deep.equal([1, 4, 7]);
  });

  it('joins the records of a chunk with "\\n" and keeps their line numbers', () => {
    const builder = new ChunkBuilder(3);
    addRecords(builder, 3);
    const [chunk] = builder.takeFull();
    expect(chunk!.text).to.equal('row 1,é\nrow 2,é\nrow 3,é');
    expect(chunk!.lines).to.deep.equal([2, 4, 6]);
    expect(builder.lastLine).to.equal(6);
  });

  it('emits the last partial chunk only on takeAll', () => {
    const builder = new ChunkBuilder(4);
    addRecords(builder, 6);
    expect(builder.takeFull()).to.have.length(1);
    expect(builder.takeFull()).to.deep.equal([]);
    const rest = builder.takeAll();
    expect(rest).to.have.length(1);
    expect(rest[0]).to.deep.equal({ index: 1, firstRow: 5, text: 'row 5,é\nrow 6,é', lines: [10, 12] });
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
    expect(builder.takeFull().map((c) => [c.index, c.firstRow, c.text])).to.deep.equal([
      [0, 1, 'row 1,é'],
      [1, 2, 'row 2,é'],
      [2, 3, 'row 3,é'],
    ]);
  });

  it('does not let later records change an already sealed chunk', () => {
    const builder = new ChunkBuilder(2);
    addRecords(builder, 2);
    const [first] = builder.takeFull();
    addRecords(builder, 3);
    expect(first!.lines).to.deep.equal([2, 4]);
    expect(first!.text).to.equal('row 1,é\nrow 2,é');
  });

  it('builds chunk text that splits back into the same records, quoted newlines included', () => {
    const records = ['a,"Matthew\nSmith"', '"x\r\ny",z', 'plain'];
    const builder = new ChunkBuilder(10);
    records.forEach((r, i) => builder.add(Buffer.from(r), i + 1));
    const [chunk] = builder.takeAll();
    expect(splitRecords(chunk!.text).map((r) => r.text)).to.deep.equal(records);
  });
});
