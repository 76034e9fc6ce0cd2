import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Expected } from '@hcingest/generator';
import {
  COLUMNS,
  csvField,
  decoderFor,
  encoderFor,
  parseEach,
  splitRecords,
  type Column,
  type LoadReport,
} from '@hcingest/shared';
import { generate } from '../harness/expectations.js';
import { isolatedEnv, run, SCRIPTS, startWorker, type WorkerProcess } from '../harness/processes.js';
import { openDb } from '../harness/store.js';

/** Fields of one CSV record (quoted fields unquoted), as a reader of the export would see them. */
function fields(record: string): string[] {
  const out: string[] = [];
  const re = /("(?:[^"]|"")*"|[^,]*)(,|$)/g;
  for (let m = re.exec(record); m; m = re.exec(record)) {
    const f = m[1]!;
    out.push(f.startsWith('"') ? f.slice(1, -1).replace(/""/g, '"') : f);
    if (m[2] === '') break;
  }
  return out;
}

/** A valid value for each column a reason names: how an operator might mend a rejected row. */
const MENDED: Record<Column, string> = {
  Name: 'Mended Patient',
  Age: '40',
  Gender: 'Female',
  'Blood Type': 'O+',
  'Medical Condition': 'Asthma',
  'Date of Admission': '2024-03-01',
  Doctor: 'Dr Mend',
  Hospital: 'Mend Hospital',
  'Insurance Provider': 'Aetna',
  'Billing Amount': '1000.50',
  'Room Number': '101',
  'Admission Type': 'Elective',
  'Discharge Date': '2024-03-05',
  Medication: 'Aspirin',
  'Test Results': 'Normal',
};

describe("rejects: a load's rejected rows out as a fixable file, and back in", function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-rejects-'));
  const env = isolatedEnv('rejects');
  const file = join(dir, 'dirty.csv');
  let expected: Expected;
  let report: LoadReport;
  let worker: WorkerProcess;

  before(async function () {
    expected = await generate(file, 1500, 41);
    worker = await startWorker(env);
    const r = await run(
      SCRIPTS.enqueue,
      [file, '--chunk-size', '200', '--wait', '--json', '--max-reject-rate', '1'],
      env,
    );
    expect(r.code, r.stderr).to.equal(0);
    report = JSON.parse(r.stdout) as LoadReport;
    expect(report.rejected).to.equal(expected.rejected);
  });
  after(async () => {
    await worker.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints the rejected rows in row order under the file's header plus row, line and reasons", async function () {
    const r = await run(SCRIPTS.rejects, [report.loadId], env);
    expect(r.code, r.stderr).to.equal(0);
    // A UTF-8, LF, comma-separated file without a BOM: its rejects come out the same way.
    expect(r.stdout.startsWith(`${COLUMNS.join(',')},row,line,reasons\n`)).to.equal(true);
    expect(r.stderr).to.include('npm run enqueue -- <file>\n');
    const [head, ...rows] = splitRecords(r.stdout).map((rec) => fields(rec.text));
    expect(head).to.deep.equal([...COLUMNS, 'row', 'line', 'reasons']);
    expect(rows).to.have.length(expected.rejected);
    const numbers = rows.map((f) => Number(f.at(-3)));
    expect(numbers).to.deep.equal([...numbers].sort((a, b) => a - b));
    // Each exported row holds the file's own fields of that line, and the stored reasons.
    const lines = readFileSync(file, 'utf8').split('\n');
    const expectedReasons = new Map(expected.rejects.map((x) => [x.row, x.reasons]));
    for (const f of rows) {
      const [row, line, reasons] = f.slice(-3);
      if (!reasons!.includes('wrong number of fields'))
        expect(f.slice(0, -3)).to.deep.equal(fields(lines[Number(line) - 1]!));
      expect(reasons!.split('; ')).to.deep.equal(expectedReasons.get(Number(row)));
    }
  });

  it('gives JSON lines with --json, writes --out privately and never replaces it without --force', async function () {
    const json = await run(SCRIPTS.rejects, [report.loadId, '--json'], env);
    expect(json.code, json.stderr).to.equal(0);
    const lines = json.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { row: number; reasons: string[] });
    expect(lines).to.have.length(expected.rejected);
    expect(lines[0]).to.have.all.keys('row', 'line', 'reasons', 'values');

    const out = join(dir, 'rejects.csv');
    const first = await run(SCRIPTS.rejects, [report.loadId, '--out', out], env);
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stderr).to.include(`${expected.rejected} rejected row(s) of load ${report.loadId} written to ${out}`);
    expect(statSync(out).mode & 0o777).to.equal(0o600);
    writeFileSync(out, 'mine');
    const again = await run(SCRIPTS.rejects, [report.loadId, '--out', out], env);
    expect(again.code).to.equal(2);
    expect(again.stderr).to.include('--force');
    expect(readFileSync(out, 'utf8')).to.equal('mine');
    expect((await run(SCRIPTS.rejects, [report.loadId, '--out', out, '--force'], env)).code).to.equal(0);
    expect(readFileSync(out, 'utf8')).to.not.equal('mine');
  });

  it('names an unknown load (exit 3) and refuses --csv with --json (exit 2)', async function () {
    const unknown = await run(SCRIPTS.rejects, ['no-such-load'], env);
    expect(unknown.code).to.equal(3);
    expect(unknown.stderr).to.include('no load "no-such-load"');
    expect((await run(SCRIPTS.rejects, [report.loadId, '--csv', '--json'], env)).code).to.equal(2);
  });

  it('round trip: the exported rows, mended, load as a new load with no reject', async function () {
    const r = await run(SCRIPTS.rejects, [report.loadId], env);
    const [head, ...rows] = splitRecords(r.stdout).map((rec) => fields(rec.text));
    // Rows with a wrong number of fields cannot be mended column by column: they stay out.
    const mendable = rows.filter((f) => !f.at(-1)!.includes('wrong number of fields'));
    expect(mendable.length).to.be.greaterThan(0);
    const mended = mendable.map((f) => {
      const values = f.slice(0, COLUMNS.length);
      // A name of its own: a new admission, so that both files' admissions stay as each says.
      values[COLUMNS.indexOf('Name')] = `Mended Patient ${f.at(-3)}`;
      for (const reason of f.at(-1)!.split('; ')) {
        const column = reason.split(':')[0] as Column;
        // A date fixed alone could still fall before the other: mend both.
        const columns: Column[] = column.includes('Date') ? ['Date of Admission', 'Discharge Date'] : [column];
        for (const c of columns) values[COLUMNS.indexOf(c)] = MENDED[c];
      }
      return [...values, ...f.slice(COLUMNS.length)];
    });
    const fixed = join(dir, 'mended.csv');
    // The row, line and reasons columns may stay: enqueue ignores extra columns (with a warning).
    writeFileSync(fixed, [head!, ...mended].map((f) => f.map(csvField).join(',')).join('\n') + '\n');
    const load = await run(SCRIPTS.enqueue, [fixed, '--wait', '--json'], env);
    expect(load.code, load.stderr).to.equal(0);
    expect(load.stderr).to.include('extra columns are ignored');
    const second = JSON.parse(load.stdout) as LoadReport;
    expect(second).to.include({ state: 'completed', rowsRead: mendable.length, rejected: 0 });
    const none = await run(SCRIPTS.rejects, [second.loadId], env);
    expect(none.stdout.trimEnd().split('\n')).to.have.length(1); // the header only
    // Both files, audited against the store: each holds what its file says.
    for (const f of [file, fixed]) {
      const audit = await run(SCRIPTS.verify, [f], env);
      expect(audit.code, `${audit.stdout}${audit.stderr}`).to.equal(0);
    }
  });
});

/** A valid row of the French file (accents that Windows-1252 holds), with some fields changed. */
function frenchRow(name: string, changes: Partial<Record<Column, string>> = {}): string[] {
  const row: Record<Column, string> = {
    Name: name,
    Age: '45',
    Gender: 'Female',
    'Blood Type': 'A+',
    'Medical Condition': 'Asthma',
    'Date of Admission': '2024-01-31',
    Doctor: 'François Ménard',
    Hospital: 'Hôpital Saint-Louis',
    'Insurance Provider': 'Aetna',
    'Billing Amount': '1234.56',
    'Room Number': '101',
    'Admission Type': 'Urgent',
    'Discharge Date': '2024-02-10',
    Medication: 'Paracétamol',
    'Test Results': 'Normal',
    ...changes,
  };
  return COLUMNS.map((c) => row[c]);
}

/** Records in a delimiter and line ending, quoting as RFC 4180 does (independently of the code under test). */
function delimited(records: string[][], delimiter: string, eol: string): string {
  const field = (v: string) => (v.includes(delimiter) || /["\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return records.map((fields) => fields.map(field).join(delimiter) + eol).join('');
}

/** The words of the enqueue command rejects printed (after `npm run enqueue --`), unquoted as a shell would. */
function printedEnqueueArgs(stderr: string): string[] {
  const line = stderr.split('\n').find((l) => l.trim().startsWith('npm run enqueue -- '));
  expect(line, stderr).to.not.equal(undefined);
  const words =
    line!
      .trim()
      .slice('npm run enqueue -- '.length)
      .match(/'(?:[^']|'\\'')*'|\S+/g) ?? [];
  return words.map((w) => (w.startsWith("'") ? w.slice(1, -1).replace(/'\\''/g, "'") : w));
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

describe("rejects in the file's own form: a ;-separated Windows-1252 CRLF file and back", function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-rejects-form-'));
  const env = isolatedEnv('rejects_form');
  const french = join(dir, 'francais.csv');
  const out = join(dir, 'r.csv');
  const cp1252 = encoderFor('windows-1252');
  /** rows 2, 4 and 5 are invalid; row 4's hospital holds the delimiter */
  const rows = [
    frenchRow('Zoé Lefèvre'),
    frenchRow('Hélène Dupré', { Age: 'quarante' }),
    frenchRow('Jérôme Bézier'),
    frenchRow('Anaïs Côté', { Gender: 'Femme', Hospital: 'Hôpital; Nord' }),
    frenchRow('Gaëlle Müller', { 'Billing Amount': 'douze' }),
  ];
  let worker: WorkerProcess;
  let report: LoadReport;
  /** the words of the enqueue command that rejects printed */
  let printed: string[];

  before(async function () {
    worker = await startWorker(env);
    // As a French spreadsheet saves a CSV: `;`, Windows-1252, CRLF, no byte order mark.
    writeFileSync(french, cp1252(delimited([[...COLUMNS], ...rows], ';', '\r\n'))!);
    const r = await run(
      SCRIPTS.enqueue,
      [french, '--encoding', 'windows-1252', '--wait', '--json', '--max-reject-rate', '1'],
      env,
    );
    expect(r.code, r.stderr).to.equal(0);
    report = JSON.parse(r.stdout) as LoadReport;
    expect(report).to.include({ rowsRead: 5, rejected: 3 });
  });
  after(async () => {
    await worker.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes its rejects ;-separated, in Windows-1252, CRLF, with the header as the file had it', async function () {
    const r = await run(SCRIPTS.rejects, [report.loadId, '--csv', '--out', out], env);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.include(
      `3 rejected row(s) of load ${report.loadId} written to ${out} (;-separated, windows-1252, CRLF)`,
    );
    const bytes = readFileSync(out);
    // No byte order mark (the file had none): the first name is exactly "Name".
    expect(bytes.subarray(0, 14).toString('latin1')).to.equal('Name;Age;Gende');
    expect(bytes.includes(Buffer.from('Hélène', 'latin1'))).to.equal(true); // é is 0xE9
    expect(bytes.includes(Buffer.from('é', 'utf8'))).to.equal(false);
    const text = decoderFor('windows-1252')(bytes);
    expect(
      text
        .split('\n')
        .slice(0, -1)
        .every((l) => l.endsWith('\r')),
    ).to.equal(true);
    const [head, ...rejects] = await parseEach(
      splitRecords(text).map((rec) => rec.text),
      ';',
    );
    expect(head).to.deep.equal([...COLUMNS, 'row', 'line', 'reasons']);
    expect(rejects.map((f) => f.slice(0, COLUMNS.length))).to.deep.equal([rows[1], rows[3], rows[4]]);
    expect(rejects[1]!.at(-1)).to.equal('Gender: must be Male or Female');
    printed = printedEnqueueArgs(r.stderr);
    expect(printed).to.deep.equal([out, '--delimiter', ';', '--encoding', 'windows-1252']);
  });

  it('mended and sent back with the printed command, its rows load in full: 0 rejected', async function () {
    const text = decoderFor('windows-1252')(readFileSync(out));
    const [head, ...rejects] = await parseEach(
      splitRecords(text).map((rec) => rec.text),
      ';',
    );
    const fixes: Partial<Record<Column, string>> = { Age: '52', Gender: 'Female', 'Billing Amount': '12.00' };
    const mended = rejects.map((f) => {
      const values = [...f];
      for (const reason of f.at(-1)!.split('; ')) {
        const column = reason.split(':')[0] as Column;
        values[COLUMNS.indexOf(column)] = fixes[column]!;
      }
      return values;
    });
    // Mended in the same spreadsheet and saved the same way (the row, line and reasons columns stay).
    writeFileSync(out, cp1252(delimited([head!, ...mended], ';', '\r\n'))!);
    const load = await run(SCRIPTS.enqueue, [...printed, '--wait', '--json'], env);
    expect(load.code, load.stderr).to.equal(0);
    const second = JSON.parse(load.stdout) as LoadReport;
    expect(second).to.include({ state: 'completed', rowsRead: 3, rejected: 0, inserted: 3 });
    const { client, db } = await openDb(env);
    try {
      const stored = await db.collection('patients').find({ '_ingest.loadId': second.loadId }).toArray();
      expect(stored.map((d) => d.Name as string).sort()).to.deep.equal(['Anaïs Côté', 'Gaëlle Müller', 'Hélène Dupré']);
      expect(stored.find((d) => d.Name === 'Anaïs Côté')?.Hospital).to.equal('Hôpital; Nord');
    } finally {
      await client.close();
    }
  });

  it("writes , and UTF-8 with --delimiter , --encoding utf8 (the line ending stays the load's)", async function () {
    const r = await run(SCRIPTS.rejects, [report.loadId, '--delimiter', ',', '--encoding', 'utf8'], env);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout.startsWith(`${COLUMNS.join(',')},row,line,reasons\r\n`)).to.equal(true);
    expect(r.stdout).to.include('Hélène Dupré,quarante,');
    expect(r.stdout).to.include(',Hôpital; Nord,'); // a ; needs no quotes among commas
    expect(printedEnqueueArgs(r.stderr)).to.deep.equal(['<file>']);
  });

  it('refuses --bom with Windows-1252, and options that only a CSV has with --json (exit 2)', async function () {
    const bom = await run(SCRIPTS.rejects, [report.loadId, '--bom'], env);
    expect(bom.code).to.equal(2);
    expect(bom.stderr).to.include('--bom cannot go with --encoding windows-1252');
    expect(bom.stdout).to.equal('');
    expect((await run(SCRIPTS.rejects, [report.loadId, '--json', '--delimiter', ';'], env)).code).to.equal(2);
  });

  it('refuses a file read as Windows-1252 that starts with a UTF-8 byte order mark (its text is UTF-8)', async function () {
    const path = join(dir, 'bom-1252.csv');
    writeFileSync(path, Buffer.concat([UTF8_BOM, cp1252(delimited([[...COLUMNS], rows[0]!], ';', '\r\n'))!]));
    const r = await run(SCRIPTS.enqueue, [path, '--encoding', 'windows-1252'], env);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include('starts with a UTF-8 byte order mark: it is UTF-8 text');
  });
});

describe('rejects in the file\'s own form: a UTF-8 file with a BOM (a spreadsheet\'s "CSV UTF-8")', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-rejects-bom-'));
  const env = isolatedEnv('rejects_bom');
  const file = join(dir, 'utf8-bom.csv');
  let worker: WorkerProcess;
  let report: LoadReport;

  before(async function () {
    worker = await startWorker(env);
    const rows = [frenchRow('Zoé Lefèvre'), frenchRow('Li 李', { Age: '-3' }), frenchRow('Émile Roux', { Age: 'x' })];
    writeFileSync(file, Buffer.concat([UTF8_BOM, Buffer.from(delimited([[...COLUMNS], ...rows], ';', '\r\n'))]));
    const r = await run(SCRIPTS.enqueue, [file, '--wait', '--json', '--max-reject-rate', '1'], env);
    expect(r.code, r.stderr).to.equal(0);
    report = JSON.parse(r.stdout) as LoadReport;
    expect(report).to.include({ rowsRead: 3, rejected: 2 });
  });
  after(async () => {
    await worker.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records the header without the BOM, and writes the rejects with one BOM before "Name"', async function () {
    const { client, db } = await openDb(env);
    try {
      const load = await db.collection('loads').findOne({ _id: report.loadId as never });
      expect(load?.header?.[0]).to.equal('Name');
      expect(load).to.deep.include({ encoding: 'utf8', form: { bom: true, lineEnding: 'crlf' } });
    } finally {
      await client.close();
    }
    const out = join(dir, 'r.csv');
    const r = await run(SCRIPTS.rejects, [report.loadId, '--out', out], env);
    expect(r.code, r.stderr).to.equal(0);
    const bytes = readFileSync(out);
    // Python's csv with utf-8-sig (as Excel's "CSV UTF-8") reads the first name as "Name".
    expect(bytes.subarray(0, 8)).to.deep.equal(Buffer.concat([UTF8_BOM, Buffer.from('Name;')]));
    expect(bytes.indexOf(UTF8_BOM, 1)).to.equal(-1);
    expect(bytes.toString('utf8')).to.include('\r\nLi 李;-3;');
    const none = await run(SCRIPTS.rejects, [report.loadId, '--no-bom'], env);
    expect(none.stdout.startsWith('Name;Age;')).to.equal(true);
  });

  it('refuses a value the chosen encoding cannot hold, naming its row and column but never the value (exit 2)', async function () {
    const out = join(dir, 'latin.csv');
    for (const args of [[], ['--out', out]]) {
      const r = await run(SCRIPTS.rejects, [report.loadId, '--encoding', 'windows-1252', ...args], env);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.include('row 2 (line 3): its Name cannot be written in windows-1252');
      expect(r.stderr).to.not.include('李');
      expect(r.stdout).to.equal('');
    }
    expect(existsSync(out)).to.equal(false);
  });
});
