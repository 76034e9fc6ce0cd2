import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Expected } from '@hcingest/generator';
import { COLUMNS, csvField, splitRecords, type Column, type LoadReport } from '@hcingest/shared';
import { generate } from '../harness/expectations.js';
import { isolatedEnv, run, SCRIPTS, startWorker, type WorkerProcess } from '../harness/processes.js';

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
