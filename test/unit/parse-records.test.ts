import { expect } from 'chai';
import { parseEach, parseRecords } from '@hcingest/shared';

describe('csv/parseRecords', () => {
  describe('parseRecords', () => {
    it('keeps quoted commas inside one field', async () => {
      expect(await parseRecords('"Burke, Griffin and Cooper",x')).to.deep.equal([['Burke, Griffin and Cooper', 'x']]);
    });

    it('turns doubled quotes into one quote', async () => {
      expect(await parseRecords('"say ""hi""",y')).to.deep.equal([['say "hi"', 'y']]);
    });

    it('keeps a quoted newline inside one field', async () => {
      expect(await parseRecords('"Matthew\nSmith",1\nnext,2')).to.deep.equal([
        ['Matthew\nSmith', '1'],
        ['next', '2'],
      ]);
    });

    it('keeps field order and empty fields', async () => {
      expect(await parseRecords('a,,b\n,\n')).to.deep.equal([
        ['a', '', 'b'],
        ['', ''],
      ]);
    });

    it('gives a short row fewer fields and a long row more', async () => {
      const rows = await parseRecords('a,b,c\nd,e\nf,g,h,i');
      expect(rows.map((r) => r.length)).to.deep.equal([3, 2, 4]);
      expect(rows[1]).to.deep.equal(['d', 'e']);
    });

    it('keeps spaces around unquoted values', async () => {
      expect(await parseRecords(' a , b ')).to.deep.equal([[' a ', ' b ']]);
    });

    it('reads multi-byte UTF-8 text', async () => {
      expect(await parseRecords('Désirée,"😀, ok"')).to.deep.equal([['Désirée', '😀, ok']]);
    });

    it('returns no rows for empty text', async () => {
      expect(await parseRecords('')).to.deep.equal([]);
    });
  });

  describe('parseEach', () => {
    it('maps well-formed records one-to-one', async () => {
      const records = ['a,b', '"c, d",e', '"multi\nline",f'];
      expect(await parseEach(records)).to.deep.equal([
        ['a', 'b'],
        ['c, d', 'e'],
        ['multi\nline', 'f'],
      ]);
    });

    it('falls back per record when one record has an unbalanced quote', async () => {
      const records = ['a,b', 'c,"d', 'e,f', 'g,h'];
      const rows = await parseEach(records);
      expect(rows).to.have.length(records.length);
      expect(rows[0]).to.deep.equal(['a', 'b']);
      expect(rows[2]).to.deep.equal(['e', 'f']);
      expect(rows[3]).to.deep.equal(['g', 'h']);
      expect(rows[1]).to.deep.equal(['c', '"d']);
    });

    it('keeps the record count when an unbalanced quote would swallow the rest of the batch', async () => {
      const records = ['"open,1', 'x,2', 'y,3'];
      const rows = await parseEach(records);
      expect(rows).to.have.length(3);
      expect(rows[0]).to.deep.equal(['"open,1']);
      expect(rows[1]).to.deep.equal(['x', '2']);
      expect(rows[2]).to.deep.equal(['y', '3']);
    });

    it('returns an empty list for no records', async () => {
      expect(await parseEach([])).to.deep.equal([]);
    });
  });
});
