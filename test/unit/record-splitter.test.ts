import { expect } from 'chai';
import { RecordSplitter, splitRecords } from '@hcingest/shared';

interface Rec {
  text: string;
  line: number;
}

/** Feeds `bytes` to a fresh splitter in the given piece sizes (cycled) and collects the records. */
function feed(bytes: Buffer, sizes: () => number): { records: Rec[]; unterminatedQuote: boolean } {
  const records: Rec[] = [];
  const splitter = new RecordSplitter((b, s, e, line) => records.push({ text: b.toString('utf8', s, e), line }));
  for (let at = 0; at < bytes.length;) {
    const size = Math.max(1, sizes());
    // A fresh copy, so the splitter cannot rely on pieces being views of one buffer.
    splitter.push(Buffer.from(bytes.subarray(at, at + size)));
    at += size;
  }
  splitter.end();
  return { records, unterminatedQuote: splitter.unterminatedQuote };
}

/** Tiny seeded LCG (Numerical Recipes constants): deterministic across runs. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('csv/recordSplitter', () => {
  describe('splitRecords', () => {
    it('splits LF-terminated lines', () => {
      expect(splitRecords('a,b\nc,d\n')).to.deep.equal([
        { text: 'a,b', line: 1 },
        { text: 'c,d', line: 2 },
      ]);
    });

    it('splits CRLF-terminated lines and drops the CR', () => {
      expect(splitRecords('a,b\r\nc,d\r\n')).to.deep.equal([
        { text: 'a,b', line: 1 },
        { text: 'c,d', line: 2 },
      ]);
    });

    it('handles mixed LF and CRLF endings', () => {
      expect(splitRecords('a\r\nb\nc\r\n').map((r) => r.text)).to.deep.equal(['a', 'b', 'c']);
    });

    it('flushes a last record that has no trailing newline', () => {
      expect(splitRecords('a,b\nc,d')).to.deep.equal([
        { text: 'a,b', line: 1 },
        { text: 'c,d', line: 2 },
      ]);
      expect(splitRecords('only')).to.deep.equal([{ text: 'only', line: 1 }]);
    });

    it('keeps quoted commas and doubled quotes inside one record, unparsed', () => {
      expect(splitRecords('"Burke, Griffin",x\n"say ""hi""",y\n')).to.deep.equal([
        { text: '"Burke, Griffin",x', line: 1 },
        { text: '"say ""hi""",y', line: 2 },
      ]);
    });

    it('keeps a quoted newline inside the record and numbers records by their physical start line', () => {
      expect(splitRecords('h\n"Matthew\nSmith",1\n"a\r\n\r\nb",2\nlast\n')).to.deep.equal([
        { text: 'h', line: 1 },
        { text: '"Matthew\nSmith",1', line: 2 },
        { text: '"a\r\n\r\nb",2', line: 4 },
        { text: 'last', line: 7 },
      ]);
    });

    it('skips blank and whitespace-only lines but still counts them as lines', () => {
      expect(splitRecords('a\n\n  \n\t\r\n\r\nb\n\n')).to.deep.equal([
        { text: 'a', line: 1 },
        { text: 'b', line: 6 },
      ]);
    });

    it('returns nothing for empty or blank input', () => {
      expect(splitRecords('')).to.deep.equal([]);
      expect(splitRecords('\n\r\n \n')).to.deep.equal([]);
    });

    it('keeps leading and trailing spaces of a non-blank record', () => {
      expect(splitRecords(' a ,b \n')).to.deep.equal([{ text: ' a ,b ', line: 1 }]);
    });

    it('keeps multi-byte UTF-8 text intact', () => {
      expect(splitRecords('Désirée,😀\n"é\n😀",x')).to.deep.equal([
        { text: 'Désirée,😀', line: 1 },
        { text: '"é\n😀",x', line: 2 },
      ]);
    });
  });

  describe('RecordSplitter', () => {
    it('reports no unterminated quote for balanced input', () => {
      const { unterminatedQuote } = feed(Buffer.from('"a",b\n"c\nd",e\n'), () => 4);
      expect(unterminatedQuote).to.equal(false);
    });

    it('flushes the rest of the input as one record and reports an unterminated quote at EOF', () => {
      const { records, unterminatedQuote } = feed(Buffer.from('a,b\nc,"open\nd,e\nf\n'), () => 1000);
      expect(records).to.deep.equal([
        { text: 'a,b', line: 1 },
        { text: 'c,"open\nd,e\nf\n', line: 2 },
      ]);
      expect(unterminatedQuote).to.equal(true);
    });

    it('emits a record split across pushes only once the line ends', () => {
      const seen: string[] = [];
      const splitter = new RecordSplitter((b, s, e) => seen.push(b.toString('utf8', s, e)));
      splitter.push(Buffer.from('ab'));
      expect(seen).to.deep.equal([]);
      splitter.push(Buffer.from('c\r'));
      expect(seen).to.deep.equal([]);
      splitter.push(Buffer.from('\nd'));
      expect(seen).to.deep.equal(['abc']);
      splitter.end();
      expect(seen).to.deep.equal(['abc', 'd']);
    });

    it('yields the same records and lines whatever the piece sizes, including cuts inside UTF-8 characters', () => {
      const random = lcg(20240229);
      const fields = ['plain', 'Désirée', 'O’Brien 😀', '"quoted, comma"', '"say ""hi"""', '"multi\nline é"', '', ' '];
      const texts: string[] = [
        'a,b\nc,d',
        'h\r\n"x\r\ny",😀\r\n\r\n  \r\né,"😀""😀"\r\n',
        'unterminated,"quote\nnever closes é\n😀',
      ];
      for (let t = 0; t < 8; t++) {
        const lines: string[] = [];
        const n = 5 + Math.floor(random() * 40);
        for (let i = 0; i < n; i++) {
          if (random() < 0.1) {
            lines.push(random() < 0.5 ? '' : ' \t');
            continue;
          }
          const width = 1 + Math.floor(random() * 5);
          lines.push(Array.from({ length: width }, () => fields[Math.floor(random() * fields.length)]!).join(','));
        }
        const eol = t % 2 === 0 ? '\n' : '\r\n';
        texts.push(lines.join(eol) + (random() < 0.5 ? eol : ''));
      }

      for (const text of texts) {
        const bytes = Buffer.from(text, 'utf8');
        const whole = feed(bytes, () => bytes.length);
        expect(whole.records).to.deep.equal(splitRecords(text));
        const strategies: [string, () => number][] = [
          ['1-byte pieces', () => 1],
          ['2-byte pieces', () => 2],
          ['3-byte pieces', () => 3],
          ['random pieces up to 7 bytes', () => 1 + Math.floor(random() * 7)],
          ['random pieces up to 64 bytes', () => 1 + Math.floor(random() * 64)],
        ];
        for (const [name, sizes] of strategies) {
          const pieces = feed(bytes, sizes);
          expect(pieces.records, `${name} of ${JSON.stringify(text)}`).to.deep.equal(whole.records);
          expect(pieces.unterminatedQuote, `${name} of ${JSON.stringify(text)}`).to.equal(whole.unterminatedQuote);
        }
      }
    });

    it('splits the fed bytes at every possible single cut point identically', () => {
      const text = 'Name,Doctor\r\n"Désirée","😀\r\nx"\r\n\r\nlast é';
      const bytes = Buffer.from(text, 'utf8');
      const expected = splitRecords(text);
      for (let cut = 1; cut < bytes.length; cut++) {
        const records: Rec[] = [];
        const splitter = new RecordSplitter((b, s, e, line) => records.push({ text: b.toString('utf8', s, e), line }));
        splitter.push(Buffer.from(bytes.subarray(0, cut)));
        splitter.push(Buffer.from(bytes.subarray(cut)));
        splitter.end();
        expect(records, `cut at ${cut}`).to.deep.equal(expected);
      }
      expect(expected).to.deep.equal([
        { text: 'Name,Doctor', line: 1 },
        { text: '"Désirée","😀\r\nx"', line: 2 },
        { text: 'last é', line: 5 },
      ]);
    });
  });
});
