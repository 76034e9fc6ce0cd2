import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Expected } from '@hcingest/generator';
import { type LoadReport, parseEach, splitRecords } from '@hcingest/shared';
import { generate } from '../harness/expectations.js';
import { expectExactLoadIn } from '../harness/loadAssertions.js';
import { isolatedEnv, run, SCRIPTS, startWorker } from '../harness/processes.js';
import { openDb } from '../harness/store.js';

/** The generated file's records re-written with another delimiter, quoting fields as RFC 4180 does. */
async function redelimit(csv: string, delimiter: string): Promise<string> {
  const records = await parseEach(splitRecords(csv).map((r) => r.text));
  const field = (v: string) => (v.includes(delimiter) || /["\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return records.map((fields) => fields.map(field).join(delimiter)).join('\n') + '\n';
}

/**
 * Files as people have them: gzip-compressed, or `;`- and tab-separated (spreadsheets where the
 * comma is the decimal separator). Each form of one generated dirty file loads exactly as the
 * generator predicts, the report says how the file was read, and verify agrees.
 */
describe('file forms: a dirty file gzip-compressed, ;-separated and tab-separated', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-forms-'));
  const source = join(dir, 'dirty.csv');
  const ROWS = 1200;
  const CHUNK = 200;
  let expected: Expected;
  let csv: string;

  before(async () => {
    expected = await generate(source, ROWS, 23);
    csv = readFileSync(source, 'utf8');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const forms: {
    name: string;
    file: string;
    bytes: () => Promise<Buffer | string>;
    args: string[];
    report: Partial<LoadReport>;
    shown: string;
    load: { compression?: string; delimiter: string };
  }[] = [
    {
      name: 'gzip',
      file: 'dirty.csv.gz',
      bytes: async () => gzipSync(csv),
      args: [],
      report: { compression: 'gzip' },
      shown: ' bytes, gzip, sha256 ',
      load: { compression: 'gzip', delimiter: ',' },
    },
    {
      name: 'semicolon (detected)',
      file: 'dirty-semicolon.csv',
      bytes: () => redelimit(csv, ';'),
      args: [],
      report: { delimiter: ';' },
      shown: ' bytes, ;-separated, sha256 ',
      load: { delimiter: ';' },
    },
    {
      name: 'tab (--delimiter tab)',
      file: 'dirty.tsv',
      bytes: () => redelimit(csv, '\t'),
      args: ['--delimiter', 'tab'],
      report: { delimiter: '\t' },
      shown: ' bytes, tab-separated, sha256 ',
      load: { delimiter: '\t' },
    },
  ];

  for (const form of forms) {
    it(`loads the ${form.name} file exactly as expected, says how it was read, and verify exits 0`, async () => {
      const env = isolatedEnv('forms');
      const path = join(dir, form.file);
      const content = await form.bytes();
      writeFileSync(path, content);
      const worker = await startWorker(env);
      try {
        const r = await run(
          SCRIPTS.enqueue,
          [path, ...form.args, '--chunk-size', String(CHUNK), '--wait', '--json'],
          env,
        );
        expect(r.code, r.stderr).to.equal(0);
        const report = JSON.parse(r.stdout) as LoadReport;
        await expectExactLoadIn(env, report, expected, ROWS / CHUNK);
        // The report's sha256 is of the file's bytes as given (compressed, for gzip).
        expect(report.sha256).to.equal(createHash('sha256').update(content).digest('hex'));
        expect(report).to.include({ file: form.file, ...form.report });
        if (!form.report.compression) expect(report).to.not.have.property('compression');
        if (!form.report.delimiter) expect(report).to.not.have.property('delimiter');

        const { client, db } = await openDb(env);
        try {
          const load = await db.collection('loads').findOne({ _id: report.loadId as never });
          expect(load?.delimiter).to.equal(form.load.delimiter);
          expect(load?.file.compression).to.equal(form.load.compression);
        } finally {
          await client.close();
        }

        const status = await run(SCRIPTS.status, [report.loadId], env);
        expect(status.code, status.stderr).to.equal(0);
        expect(status.stdout)
          .to.include(`file       ${basename(path)} (`)
          .and.to.include(form.shown);

        const verified = await run(SCRIPTS.verify, [path, ...form.args], env);
        expect(verified.code, verified.stdout + verified.stderr).to.equal(0);
      } finally {
        await worker.stop();
      }
    });
  }
});
