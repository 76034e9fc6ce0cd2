import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChunkStream, type Chunk } from '@hcingest/shared';
import { splitRecords } from '@hcingest/shared';

describe('producer/ChunkStream: a file as row chunks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hc-chunkstream-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  // A header, then 10 records on CRLF lines; record 4 spans two lines inside quotes.
  const rows = Array.from({ length: 10 }, (_, i) => (i === 3 ? `r4,"two\r\nlines"` : `r${i + 1},x`));
  const path = join(dir, 'f.csv');
  writeFileSync(path, `Name,Note\r\n${rows.join('\r\n')}\r\n`);

  async function all(stream: ChunkStream): Promise<Chunk[]> {
    const out: Chunk[] = [];
    for await (const c of stream) out.push(c);
    return out;
  }

  for (const size of [1, 3, 4, 10, 11]) {
    it(`gives every record once, in order, with its row and line, in chunks of ${size}`, async () => {
      const stream = new ChunkStream(path, size);
      const chunks = await all(stream);
      expect(stream.header).to.equal('Name,Note');
      expect(chunks.map((c) => c.index)).to.deep.equal(chunks.map((_, i) => i));
      expect(chunks.map((c) => c.rows)).to.deep.equal(
        Array.from({ length: Math.ceil(10 / size) }, (_, i) => Math.min(size, 10 - i * size)),
      );
      const records = chunks.flatMap((c) =>
        splitRecords(c.text).map((r, k) => ({ row: c.firstRow + k, line: c.firstLine + r.line - 1, text: r.text })),
      );
      expect(records.map((r) => r.text)).to.deep.equal(rows);
      expect(records.map((r) => r.row)).to.deep.equal(rows.map((_, i) => i + 1));
      // Line 1 is the header; record 4 takes lines 5 and 6.
      expect(records.map((r) => r.line)).to.deep.equal([2, 3, 4, 5, 7, 8, 9, 10, 11, 12]);
      expect({ chunks: stream.chunks, rows: stream.rows, unterminatedQuote: stream.unterminatedQuote }).to.deep.equal({
        chunks: chunks.length,
        rows: 10,
        unterminatedQuote: false,
      });
    });
  }

  it('stops reading when the loop stops: a file of 3 MiB is read no further than its first MiB', async () => {
    const big = join(dir, 'big.csv');
    const row = `r,${'x'.repeat(60)}`;
    const total = Math.ceil((3 << 20) / (row.length + 1));
    writeFileSync(big, `Name,Note\n${`${row}\n`.repeat(total)}`);
    const stream = new ChunkStream(big, 100);
    let seen = 0;
    for await (const _ of stream) if (++seen === 1) break;
    expect(seen).to.equal(1);
    expect(stream.rows).to.be.above(0);
    expect(stream.rows, 'rows split before the loop stopped').to.be.at.most(Math.ceil((1 << 20) / (row.length + 1)));
  });

  it('says when the file ends inside a quoted field', async () => {
    const open = join(dir, 'open.csv');
    writeFileSync(open, 'Name,Note\nr1,"never closed\n');
    const stream = new ChunkStream(open, 5);
    expect((await all(stream)).map((c) => c.rows)).to.deep.equal([1]);
    expect(stream.unterminatedQuote).to.equal(true);
  });
});
