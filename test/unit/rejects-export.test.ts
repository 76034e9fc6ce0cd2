import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COLUMNS, csvField, csvFieldFor, encoderFor, readHeader, type LoadDoc, type RejectDoc } from '@hcingest/shared';
import {
  csvLine,
  describeForm,
  enqueueCommand,
  exportForm,
  exportHeader,
  firstUnencodable,
  rejectCsvLine,
} from '@hcingest/ops';

const load = (extra: Partial<LoadDoc> = {}): LoadDoc => ({
  _id: 'L',
  seq: 1,
  file: { name: 'f.csv', bytes: 1, sha256: 'x' },
  chunkSize: 10,
  startedAt: new Date(0),
  chunksTotal: 1,
  rowsRead: 1,
  enqueuedAt: null,
  ...extra,
});

const FRENCH: Partial<LoadDoc> = {
  delimiter: ';',
  encoding: 'windows-1252',
  form: { bom: false, lineEnding: 'crlf' },
  formats: { decimalComma: true, dateFormat: 'DD/MM/YYYY' },
};

describe('rejects export: the CSV writer', () => {
  it('quotes a field holding the delimiter, a quote, CR or LF, and nothing else', () => {
    const semi = { delimiter: ';', lineEnding: 'lf' } as const;
    expect(csvLine(['1234,56', 'a;b', 'say "hi"', 'two\nlines', 'cr\r', 'plain'], semi)).to.equal(
      '1234,56;"a;b";"say ""hi""";"two\nlines";"cr\r";plain\n',
    );
    expect(csvLine(['1234,56', 'a;b'])).to.equal('"1234,56",a;b\n');
    expect(csvLine(['a\tb', 'c,d'], { delimiter: '\t', lineEnding: 'crlf' })).to.equal('"a\tb"\tc,d\r\n');
    expect(csvFieldFor(',')).to.equal(csvField);
  });

  it("writes a reject's fields in header order, then row, line and its reasons (quoted: they hold '; ')", () => {
    const reject: RejectDoc = {
      _id: 'L:3',
      loadId: 'L',
      row: 3,
      line: 4,
      values: { Name: 'Zoé', Age: 'x' },
      reasons: ['Age: must be an integer in 0..120', 'Gender: is empty'],
      at: new Date(0),
    };
    expect(rejectCsvLine(['Name', 'Age', 'Gender'], reject, { delimiter: ';', lineEnding: 'crlf' })).to.equal(
      'Zoé;x;;3;4;"Age: must be an integer in 0..120; Gender: is empty"\r\n',
    );
  });

  it('never puts a byte order mark in a header name (older loads recorded it with the first name)', () => {
    expect(exportHeader(load({ header: ['\uFEFFName', 'Age'] }), null)).to.deep.equal(['Name', 'Age']);
  });
});

describe("rejects export: the load's form, and the command that sends it back", () => {
  it("is the load's delimiter, encoding, line ending and BOM by default; a load recorded before: , utf8 LF", () => {
    expect(exportForm(load(FRENCH), {})).to.deep.equal({
      delimiter: ';',
      encoding: 'windows-1252',
      lineEnding: 'crlf',
      bom: false,
    });
    expect(exportForm(load(), {})).to.deep.equal({ delimiter: ',', encoding: 'utf8', lineEnding: 'lf', bom: false });
    const utf8Bom = load({ form: { bom: true, lineEnding: 'crlf' } });
    expect(exportForm(utf8Bom, {}).bom).to.equal(true);
    expect(exportForm(utf8Bom, { bom: false }).bom).to.equal(false);
    expect(describeForm(exportForm(utf8Bom, { delimiter: '\t' }))).to.equal('tab-separated, utf8, CRLF, with a BOM');
  });

  it('takes --delimiter and --encoding; a BOM only in UTF-8 (--bom with another encoding is refused)', () => {
    expect(exportForm(load(FRENCH), { delimiter: ',', encoding: 'utf8' })).to.include({
      delimiter: ',',
      encoding: 'utf8',
    });
    expect(exportForm(load(), { bom: true }).bom).to.equal(true);
    // The file had one, but a BOM before Windows-1252 text would make readers take it for UTF-8.
    expect(exportForm(load({ form: { bom: true, lineEnding: 'lf' } }), { encoding: 'latin1' }).bom).to.equal(false);
    expect(() => exportForm(load(FRENCH), { bom: true })).to.throw('--bom cannot go with --encoding windows-1252');
  });

  it('finds the first field an encoding cannot carry back, never replacing it', () => {
    expect(firstUnencodable(['Zoé', '€ 12', '’'], 'windows-1252')).to.equal(-1);
    expect(firstUnencodable(['Zoé', '€ 12'], 'latin1')).to.equal(1);
    expect(firstUnencodable(['ok', '中文'], 'windows-1252')).to.equal(1);
    expect(firstUnencodable(['\u0081'], 'windows-1252')).to.equal(0);
    expect(firstUnencodable(['\u0085'], 'latin1')).to.equal(0);
    expect(firstUnencodable(['中文 😀'], 'utf8')).to.equal(-1);
    expect(encoderFor('windows-1252')('é€')).to.deep.equal(Buffer.from([0xe9, 0x80]));
    expect(encoderFor('windows-1252')('中')).to.equal(undefined);
  });

  it("prints the enqueue command with the export's delimiter and encoding and the load's formats", () => {
    const french = load(FRENCH);
    expect(enqueueCommand('r.csv', french, exportForm(french, {}))).to.equal(
      "npm run enqueue -- r.csv --delimiter ';' --encoding windows-1252 --decimal-comma --date-format DD/MM/YYYY",
    );
    expect(enqueueCommand(undefined, french, exportForm(french, { delimiter: ',', encoding: 'utf8' }))).to.equal(
      'npm run enqueue -- <file> --decimal-comma --date-format DD/MM/YYYY',
    );
    expect(enqueueCommand("my rows's.csv", load(), exportForm(load(), { delimiter: '\t' }))).to.equal(
      `npm run enqueue -- 'my rows'\\''s.csv' --delimiter tab`,
    );
  });
});

describe("readHeader: the file's form", () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'hc-form-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, bytes: Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

  it('says whether the file starts with a BOM, and its line ending; the first name never holds the BOM', async () => {
    const crlf = write('bom.csv', Buffer.concat([BOM, Buffer.from(`${COLUMNS.join(';')}\r\nrow\r\n`)]));
    const header = await readHeader(crlf);
    expect(header.form).to.deep.equal({ bom: true, lineEnding: 'crlf' });
    expect(header.fields[0]).to.equal('Name');
    expect(header.delimiter).to.equal(';');
    const lf = await readHeader(write('lf.csv', Buffer.from(`${COLUMNS.join(',')}\nrow\n`)));
    expect(lf.form).to.deep.equal({ bom: false, lineEnding: 'lf' });
    const alone = await readHeader(write('alone.csv', Buffer.from(COLUMNS.join(','))));
    expect(alone.form).to.deep.equal({ bom: false, lineEnding: 'lf' });
  });

  it('refuses a UTF-8 BOM in a file read as Windows-1252 or Latin-1 (its text is UTF-8)', async () => {
    const path = write('bom1252.csv', Buffer.concat([BOM, Buffer.from(`${COLUMNS.join(';')}\r\n`)]));
    for (const encoding of ['windows-1252', 'latin1'] as const) {
      const message = await readHeader(path, encoding).then(
        () => '',
        (e: Error) => e.message,
      );
      expect(message).to.include(`starts with a UTF-8 byte order mark: it is UTF-8 text, not ${encoding}`);
    }
  });
});
