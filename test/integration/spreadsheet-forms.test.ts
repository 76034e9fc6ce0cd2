import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BSON, type Document } from 'mongodb';
import type { Expected } from '@hcingest/generator';
import { COLUMNS, type LoadReport, type RawRow } from '@hcingest/shared';
import { generate, rejectsByReason } from '../harness/expectations.js';
import { expectExactLoadIn } from '../harness/loadAssertions.js';
import { isolatedEnv, run, SCRIPTS, startWorker } from '../harness/processes.js';
import { rawRow } from '../harness/rawRow.js';
import { frenchSpreadsheet } from '../harness/spreadsheetForms.js';
import { openDb } from '../harness/store.js';

const FRENCH = ['--encoding', 'windows-1252', '--decimal-comma', '--date-format', 'DD/MM/YYYY'];

/** The stored patients as canonical Extended JSON (value and BSON type), with the ingest metadata the file decides. */
async function rawPatients(env: NodeJS.ProcessEnv): Promise<string[]> {
  const { client, db } = await openDb(env);
  try {
    const docs = await db.collection('patients').find({}, { promoteValues: false }).sort({ _id: 1 }).toArray();
    return docs.map((d: Document) => {
      // What the file decides (the winning row, its version and values' hash); how the load got
      // there (outcome, base, writes) depends on which chunk of a repeated admission ran first.
      const { row, version, hash } = d._ingest as Document;
      return BSON.EJSON.stringify({ ...d, _ingest: { row, version, hash } }, { relaxed: false });
    });
  } finally {
    await client.close();
  }
}

/** What the test's database holds of loads, patients and rejects. */
async function counts(env: NodeJS.ProcessEnv): Promise<{ loads: number; patients: number; rejects: number }> {
  const { client, db } = await openDb(env);
  try {
    const n = (c: string) => db.collection(c).countDocuments();
    return { loads: await n('loads'), patients: await n('patients'), rejects: await n('rejects') };
  } finally {
    await client.close();
  }
}

/** A small comma-separated file of valid rows (the overrides of each), values free of `,` and `;`. */
function smallCsv(rows: Partial<RawRow>[], delimiter = ','): string {
  const lines = rows.map((o, i) => COLUMNS.map((c) => rawRow({ Name: `Ann Lee${'e'.repeat(i)}`, ...o })[c]));
  return [COLUMNS, ...lines].map((fields) => fields.join(delimiter)).join('\n') + '\n';
}

/** Admission dates day-first, every one with a day of 13 or more (so they read day-first only). */
const dayFirst = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    'Date of Admission': `${13 + i}/0${1 + (i % 9)}/2024`,
    'Discharge Date': '',
  }));

/**
 * Files as a spreadsheet in a French locale saves them (`;`, decimal commas, day-first dates,
 * Windows-1252, CRLF): read with the options that say so, they load exactly as the default form;
 * without them they are refused before anything is written, the hint naming the options; a
 * resumed load is read as it was started, or refused naming what differs.
 */
describe('spreadsheet forms: decimal commas, day-first dates, and loads resumed only as they were read', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-sheets-'));
  const ROWS = 1200;
  const CHUNK = 300;
  const plain = join(dir, 'admissions.csv');
  const french = join(dir, 'admissions-fr.csv');
  let expected: Expected;

  before(async () => {
    expected = await generate(plain, ROWS, 41);
    writeFileSync(french, await frenchSpreadsheet(readFileSync(plain, 'utf8')));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Loads a file into a fresh database with its own worker; returns the report and the database's settings. */
  async function loadAlone(label: string, path: string, args: string[]): Promise<[LoadReport, NodeJS.ProcessEnv]> {
    const env = isolatedEnv(label);
    const worker = await startWorker(env);
    try {
      const r = await run(SCRIPTS.enqueue, [path, ...args, '--chunk-size', String(CHUNK), '--wait', '--json'], env);
      expect(r.code, r.stderr).to.equal(0);
      return [JSON.parse(r.stdout) as LoadReport, env];
    } finally {
      await worker.stop();
    }
  }

  it('a file written as a French spreadsheet loads exactly as the default form: same documents, same BSON types; verify passes on both', async () => {
    const frenchText = readFileSync(french);
    expect(frenchText.includes(Buffer.from('\r\n'))).to.equal(true);
    expect(frenchText.includes(0xa0), 'a no-break space grouping thousands, in Windows-1252').to.equal(true);

    const [plainReport, plainEnv] = await loadAlone('sheet_plain', plain, []);
    await expectExactLoadIn(plainEnv, plainReport, expected, ROWS / CHUNK);
    const [frReport, frEnv] = await loadAlone('sheet_fr', french, FRENCH);
    const sums = (r: LoadReport) => [r.rowsRead, r.rejected, r.inserted, r.superseded, r.updated, r.unchanged];
    expect(sums(frReport)).to.deep.equal(sums(plainReport));
    expect(frReport).to.deep.include({
      delimiter: ';',
      encoding: 'windows-1252',
      formats: { decimalComma: true, dateFormat: 'DD/MM/YYYY' },
    });
    expect(plainReport).to.not.have.any.keys('encoding', 'formats', 'delimiter');
    // Written in the load's own formats, amounts and dates are no cleaning.
    expect(frReport.normalizedColumns).to.deep.equal(plainReport.normalizedColumns);

    const [plainDocs, frDocs] = [await rawPatients(plainEnv), await rawPatients(frEnv)];
    expect(plainDocs).to.have.length(expected.documents);
    expect(frDocs).to.deep.equal(plainDocs);
    expect(frDocs.join()).to.include('"Billing Amount":{"$numberDouble"').and.to.include('"$date"');

    const { client, db } = await openDb(frEnv);
    try {
      const load = await db.collection('loads').findOne({ _id: frReport.loadId as never });
      expect(load).to.deep.include({
        encoding: 'windows-1252',
        formats: { decimalComma: true, dateFormat: 'DD/MM/YYYY' },
      });
    } finally {
      await client.close();
    }
    const status = await run(SCRIPTS.status, [frReport.loadId], frEnv);
    expect(status.stdout).to.include(';-separated, windows-1252, decimal comma, dates DD/MM/YYYY, sha256 ');

    const verifiedPlain = await run(SCRIPTS.verify, [plain], plainEnv);
    expect(verifiedPlain.code, verifiedPlain.stdout + verifiedPlain.stderr).to.equal(0);
    // The formats come from the load; the encoding is given as to enqueue.
    const verifiedFr = await run(SCRIPTS.verify, [french, '--encoding', 'windows-1252'], frEnv);
    expect(verifiedFr.code, verifiedFr.stdout + verifiedFr.stderr).to.equal(0);
    // Told otherwise, verify reads otherwise: every date is then a reject the load does not have.
    const misread = await run(
      SCRIPTS.verify,
      [french, '--encoding', 'windows-1252', '--date-format', 'MM/DD/YYYY'],
      frEnv,
    );
    expect(misread.code, misread.stdout).to.not.equal(0);
  });

  it("a French load's rejects come back in its form with the enqueue command of its options: sent back, the same rows are rejected for the same reasons", async () => {
    const env = isolatedEnv('sheet_rejects');
    const worker = await startWorker(env);
    try {
      const first = await run(SCRIPTS.enqueue, [french, ...FRENCH, '--wait', '--json'], env);
      expect(first.code, first.stderr).to.equal(0);
      const report = JSON.parse(first.stdout) as LoadReport;
      expect(report.rejected).to.equal(expected.rejected).and.to.be.greaterThan(0);

      const out = join(dir, 'rejects-fr.csv');
      const exported = await run(SCRIPTS.rejects, [report.loadId, '--csv', '--out', out], env);
      expect(exported.code, exported.stderr).to.equal(0);
      const command = exported.stderr.split('\n').find((l) => l.includes('npm run enqueue --')) ?? '';
      for (const option of [
        "--delimiter ';'",
        '--encoding windows-1252',
        '--decimal-comma',
        '--date-format DD/MM/YYYY',
      ])
        expect(command, option).to.include(option);
      const bytes = readFileSync(out);
      expect(bytes.subarray(0, 9).toString('latin1')).to.equal('Name;Age;');
      expect(bytes.includes(Buffer.from('\r\n'))).to.equal(true);

      const back = await run(
        SCRIPTS.enqueue,
        [out, '--delimiter', ';', ...FRENCH, '--wait', '--json', '--max-reject-rate', '100%'],
        env,
      );
      expect(back.code, back.stderr).to.equal(0);
      const again = JSON.parse(back.stdout) as LoadReport;
      expect(again.rowsRead).to.equal(report.rejected);
      expect(again.rejected).to.equal(report.rejected);
      const { client, db } = await openDb(env);
      try {
        expect(await rejectsByReason(db, again.loadId)).to.deep.equal(await rejectsByReason(db, report.loadId));
      } finally {
        await client.close();
      }
    } finally {
      await worker.stop();
    }
  });

  it('refuses the French file without the format options, naming them, before anything is written', async () => {
    const env = isolatedEnv('sheet_refused');
    const r = await run(SCRIPTS.enqueue, [french, '--encoding', 'windows-1252'], env);
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr)
      .to.include('in its first 1,000 rows')
      .and.to.include('pass --date-format DD/MM/YYYY')
      .and.to.include('pass --decimal-comma');
    expect(await counts(env)).to.deep.equal({ loads: 0, patients: 0, rejects: 0 });
  });

  it('an ambiguous-date file is refused with the hint naming both --date-format options, nothing recorded', async () => {
    const env = isolatedEnv('sheet_ambiguous');
    const path = join(dir, 'ambiguous.csv');
    const dates = Array.from({ length: 8 }, (_, i) => ({
      'Date of Admission': `0${1 + i}/1${i % 3}/2023`,
      'Discharge Date': '',
    }));
    writeFileSync(path, smallCsv(dates));
    const r = await run(SCRIPTS.enqueue, [path], env);
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr)
      .to.include('ambiguous')
      .and.to.include('pass --date-format DD/MM/YYYY or --date-format MM/DD/YYYY');
    expect(await counts(env)).to.deep.equal({ loads: 0, patients: 0, rejects: 0 });
  });

  it('a day-first file loaded with --date-format DD/MM/YYYY rejects the row whose date does not exist (31/02/2024)', async () => {
    const path = join(dir, 'day-first.csv');
    writeFileSync(path, smallCsv([...dayFirst(6), { 'Date of Admission': '31/02/2024', 'Discharge Date': '' }]));
    const args = ['--date-format', 'DD/MM/YYYY', '--max-reject-rate', '50%'];
    const [report, env] = await loadAlone('sheet_dayfirst', path, args);
    expect(report).to.include({ rowsRead: 7, inserted: 6, rejected: 1 });
    const { client, db } = await openDb(env);
    try {
      const rejects = await db.collection('rejects').find({}).toArray();
      expect(rejects.map((x) => [x.row, x.reasons])).to.deep.equal([
        [7, ['Date of Admission: must be a real calendar date in DD/MM/YYYY']],
      ]);
      const stored = await db.collection('patients').findOne({ Name: 'Ann Lee' });
      expect((stored?.['Date of Admission'] as Date).toISOString()).to.equal('2024-01-13T00:00:00.000Z');
    } finally {
      await client.close();
    }
  });

  describe('a resumed load given other options is refused (exit 2), naming what differs, nothing written', () => {
    async function loadDoc(env: NodeJS.ProcessEnv): Promise<Document[]> {
      const { client, db } = await openDb(env);
      try {
        return await db.collection('loads').find({}).toArray();
      } finally {
        await client.close();
      }
    }

    it('other formats and another encoding', async () => {
      const env = isolatedEnv('sheet_resume');
      const path = join(dir, 'resume.csv');
      writeFileSync(path, smallCsv(dayFirst(6)));
      const first = await run(SCRIPTS.enqueue, [path, '--date-format', 'DD/MM/YYYY'], env);
      expect(first.code, first.stderr).to.equal(0);
      const before = await loadDoc(env);
      expect(before[0]).to.deep.include({
        encoding: 'utf8',
        formats: { decimalComma: false, dateFormat: 'DD/MM/YYYY' },
      });

      const other = await run(SCRIPTS.enqueue, [path, '--date-format', 'MM/DD/YYYY', '--encoding', 'latin1'], env);
      expect(other.code, other.stderr).to.equal(2);
      expect(other.stderr).to.include(
        `load ${first.stdout.trim()} was read with the default encoding utf8 and --date-format DD/MM/YYYY; ` +
          'this run gives latin1 and MM/DD/YYYY: use the same options, or start another load with --new-load',
      );
      const comma = await run(SCRIPTS.enqueue, [path, '--date-format', 'DD/MM/YYYY', '--decimal-comma'], env);
      expect(comma.code, comma.stderr).to.equal(2);
      expect(comma.stderr).to.include(
        'was read with decimal points (no --decimal-comma); this run gives --decimal-comma',
      );
      expect(await loadDoc(env)).to.deep.equal(before);

      const same = await run(SCRIPTS.enqueue, [path, '--date-format', 'DD/MM/YYYY'], env);
      expect(same.code, same.stderr).to.equal(0);
      expect(same.stdout.trim()).to.equal(first.stdout.trim());
    });

    it('another delimiter (a header that splits into the 15 columns with both , and ;)', async () => {
      const env = isolatedEnv('sheet_delim');
      const path = join(dir, 'both-delimiters.csv');
      // `A;B;…;x,A,B,…`: with `;` the 15 columns then one extra; with `,` one extra then the 15.
      const line = (fields: readonly string[]) => `${fields.join(';')};x,${fields.join(',')}`;
      const rows = [rawRow({ Name: 'Ann Lee' }), rawRow({ Name: 'Bo Lee' })].map((r) => COLUMNS.map((c) => r[c]));
      writeFileSync(path, [COLUMNS, ...rows].map(line).join('\n') + '\n');

      const first = await run(SCRIPTS.enqueue, [path, '--delimiter', ';'], env);
      expect(first.code, first.stderr).to.equal(0);
      const before = await loadDoc(env);
      expect(before[0]?.delimiter).to.equal(';');
      const detected = await run(SCRIPTS.enqueue, [path], env);
      expect(detected.code, detected.stderr).to.equal(2);
      expect(detected.stderr).to.include(
        `load ${first.stdout.trim()} was read with --delimiter ';'; this run gives ,-separated: use the same options`,
      );
      const named = await run(SCRIPTS.enqueue, [path, '--delimiter', ',', '--load-id', first.stdout.trim()], env);
      expect(named.code, named.stderr).to.equal(2);
      expect(named.stderr).to.include("was read with --delimiter ';'");
      expect(await loadDoc(env)).to.deep.equal(before);
    });
  });
});
