import { expect } from 'chai';
import { InvalidChunkJobError, parseChunkRows } from '@hcingest/shared';

describe('shared/queue/chunkRows', () => {
  it('recovers rows, absolute line numbers and fields from a byte-range chunk', async () => {
    const text = 'a,"multi\r\nline"\r\n\r\nb,2\r\n   \r\n"c,3",x';
    const rows = await parseChunkRows({ text, rows: 3, firstRow: 41, firstLine: 100 });
    expect(rows).to.deep.equal([
      { row: 41, line: 100, fields: ['a', 'multi\r\nline'] },
      { row: 42, line: 103, fields: ['b', '2'] },
      { row: 43, line: 105, fields: ['c,3', 'x'] },
    ]);
  });

  it('refuses a chunk whose record count disagrees with the producer, for good (no retry mends it)', async () => {
    const err = await parseChunkRows({ text: 'a,1\nb,2', rows: 3, firstRow: 1, firstLine: 2 }).then(
      () => null,
      (e: Error) => e,
    );
    expect(err).to.be.instanceOf(InvalidChunkJobError);
    expect(err?.message).to.equal('chunk holds 2 records but the producer counted 3');
  });
});
