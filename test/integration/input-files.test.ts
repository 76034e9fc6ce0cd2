import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { type LoadReport, COLUMNS } from '@hcingest/shared';
import { row } from '../harness/chunks.js';
import { isolatedEnv, run, SCRIPTS, startWorker, type WorkerProcess } from '../harness/processes.js';
import { openDb } from '../harness/store.js';

/**
 * Files as people export them: Windows-1252 from Excel, a header ending in a comma, and files
 * that are not CSV text at all. Each is loaded faithfully or refused with the cause named,
 * before anything is written.
 */
describe('input files: encodings, spreadsheet quirks and files that are not CSV', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-input-'));
  const env = isolatedEnv('input');
  let worker: WorkerProcess;
  const header = COLUMNS.join(',');

  before(async () => {
    worker = await startWorker(env);
  });
  after(async () => {
    await worker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const file = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const loadsRecorded = async () => {
    const { client, db } = await openDb(env);
    try {
      return await db.collection('loads').countDocuments();
    } finally {
      await client.close();
    }
  };
  const stored = async (filter: Record<string, unknown>) => {
    const { client, db } = await openDb(env);
    try {
      return await db.collection('patients').find(filter).toArray();
    } finally {
      await client.close();
    }
  };

  describe('encodings: Windows-1252, Latin-1 and --encoding', function () {
    // Excel's usual export: ’ (0x92), – (0x96) and € (0x80) are printable only in Windows-1252.
    const cp1252Text =
      `${header}\r\n` +
      `${row('Zoë O’Neil', '10', 'Général – Est', { Medication: '€ Aspirin' })}\r\n` +
      `${row('Chloé Dupré', '20', 'Hôpital Nord')}\r\n`;
    const cp1252 = iconv.encode(cp1252Text, 'windows-1252');

    it('refuses a Windows-1252 file read as UTF-8, naming the offset and the likely encoding', async () => {
      const before = await loadsRecorded();
      const r = await run(SCRIPTS.enqueue, [file('excel.csv', cp1252)], env);
      expect(r.code).to.equal(2);
      const offset = Buffer.from(`${header}\r\nZo`).length; // ë is the first byte above 0x7F
      expect(r.stderr).to.include(`byte offset ${offset}`).and.to.include('--encoding windows-1252');
      expect(await loadsRecorded()).to.equal(before);
    });

    it('refuses a Latin-1 decode that would store control characters, naming the byte, its offset and windows-1252', async () => {
      const before = await loadsRecorded();
      const r = await run(SCRIPTS.enqueue, [file('excel2.csv', cp1252), '--encoding', 'latin1'], env);
      expect(r.code).to.equal(2);
      const offset = cp1252.indexOf(0x92);
      expect(r.stderr).to.include('byte 0x92').and.to.include(`byte offset ${offset}`);
      expect(r.stderr).to.include('--encoding windows-1252').and.to.include('’');
      expect(await loadsRecorded()).to.equal(before);
    });

    it('loads the same file with --encoding windows-1252, every character as written', async () => {
      const r = await run(
        SCRIPTS.enqueue,
        [file('excel3.csv', cp1252), '--encoding', 'windows-1252', '--wait', '--json'],
        env,
      );
      expect(r.code, r.stderr).to.equal(0);
      expect(JSON.parse(r.stdout) as LoadReport).to.include({
        state: 'completed',
        rowsRead: 2,
        inserted: 2,
        rejected: 0,
      });
      const [zoe] = await stored({ Name: 'Zoë O’Neil' });
      expect(zoe, 'Zoë O’Neil stored as written').to.not.equal(undefined);
      expect(zoe!.Hospital).to.equal('Général – Est');
      expect(zoe!.Medication).to.equal('€ Aspirin');
      expect(await stored({ Name: 'Chloé Dupré', Hospital: 'Hôpital Nord' })).to.have.length(1);
    });

    it('accepts the names cp1252 and win-1252 for windows-1252, and lists the encodings when given another', async () => {
      const r = await run(SCRIPTS.enqueue, [file('x.csv', `${header}\n`), '--encoding', 'ebcdic'], env);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.include('utf8, windows-1252, latin1');
      for (const name of ['cp1252', 'Windows-1252', 'win1252']) {
        const ok = await run(
          SCRIPTS.enqueue,
          [file(`h-${name}.csv`, `${header}\n`), '--encoding', name, '--new-load'],
          env,
        );
        expect(ok.code, `${name}: ${ok.stderr}`).to.equal(0);
      }
    });
  });

  describe('spreadsheet quirks and delimiters', function () {
    it('reads a header ending in a comma as the 15 columns, and rows with or without the trailing comma alike', async () => {
      const rows = [
        `${row('Ada Trail', '1')},`,
        row('Bea Trail', '2'),
        `${row('Cy Trail', '3')}, `,
        `${row('Dee Trail', '4')},oops`, // a value in the unnamed column: wrong shape
      ];
      const path = file('trailing.csv', `${header},\n${rows.join('\n')}\n`);
      const r = await run(SCRIPTS.enqueue, [path, '--wait', '--json', '--max-reject-rate', '50%'], env);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stderr, 'an empty trailing header cell is no extra column').to.not.include('extra columns');
      expect(JSON.parse(r.stdout) as LoadReport).to.include({ rowsRead: 4, inserted: 3, rejected: 1 });
      expect(await stored({ Name: { $in: ['Ada Trail', 'Bea Trail', 'Cy Trail'] } })).to.have.length(3);
    });

    it('reads a ;-separated file, rejecting a row with a field missing for its field count', async () => {
      const semi = (r: string) => r.replace(/,/g, ';');
      const rows = [
        semi(row('Semi One', '1', 'North General')),
        semi(row('Semi Two', '2', 'North General')).replace(/;[^;]*$/, ''), // its last field missing
        semi(row('Semi Three', '3', 'East, West')), // a quoted field holding the delimiter
      ];
      const path = file('semicolon.csv', `${COLUMNS.join(';')}\n${rows.join('\n')}\n`);
      const r = await run(SCRIPTS.enqueue, [path, '--wait', '--json', '--max-reject-rate', '50%'], env);
      expect(r.code, r.stderr).to.equal(0);
      const report = JSON.parse(r.stdout) as LoadReport;
      expect(report).to.include({ rowsRead: 3, inserted: 2, rejected: 1, delimiter: ';' });
      const { client, db } = await openDb(env);
      try {
        const reject = await db
          .collection('rejects')
          .findOne({ loadId: report.loadId, row: 2, reasons: 'row: wrong number of fields' });
        expect(reject, 'the short row is rejected for its field count').to.not.equal(null);
      } finally {
        await client.close();
      }
      expect((await stored({ Name: 'Semi Three' }))[0]?.Hospital).to.equal('East; West');
    });

    it('refuses a file mixing delimiters before anything is written, naming the first such line', async () => {
      const semi = (r: string) => r.replace(/,/g, ';');
      const rows = [
        semi(row('Mix One', '1', 'North General')),
        semi(row('Mix Two', '2', 'North General')),
        row('Mix Three', '3', 'North General'), // the whole row written with commas
        row('Mix Four', '4', 'North General'),
      ];
      const path = file('mixed.csv', `${COLUMNS.join(';')}\n${rows.join('\n')}\n`);
      const mixedEnv = isolatedEnv('mixed');
      const r = await run(SCRIPTS.enqueue, [path, '--wait'], mixedEnv);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.include('the header is ;-separated but 2 row(s) are ,-separated (first at line 4)');
      const { client, db } = await openDb(mixedEnv);
      try {
        expect(await db.collection('loads').countDocuments(), 'nothing written').to.equal(0);
      } finally {
        await client.close();
      }
    });
  });

  describe('a file whose every row is rejected', function () {
    it('says why when every row is rejected: reasons with counts and first rows, and --wait exits 4', async () => {
      // US dates: every row of a whole file rejected, the classic locale mistake.
      const rows = Array.from({ length: 12 }, (_, i) =>
        row(`Uma Usdate${String.fromCharCode(97 + i)}`, '5', 'Mercy', { 'Date of Admission': `03/${10 + i}/2024` }),
      );
      rows[4] = row('Ugo Usdate', 'lots', 'Mercy', { 'Date of Admission': '03/01/2024' }); // and a bad amount
      const path = file('us-dates.csv', `${header}\n${rows.join('\n')}\n`);
      const r = await run(SCRIPTS.enqueue, [path, '--wait'], env);
      expect(r.code, r.stderr).to.equal(4);
      expect(r.stdout).to.include('COMPLETED');
      expect(r.stdout).to.match(/rows read {2}12 = rejected 12 \+ inserted 0/);
      expect(r.stdout).to.match(/12 {2}Date of Admission: must be a real calendar date in YYYY-MM-DD \(row 1\)/);
      expect(r.stdout).to.match(/1 {2}Billing Amount: must be a number from .* \(row 5\)/);
      expect(r.stderr).to.include('100% of the rows were rejected, more than MAX_REJECT_RATE (5%)');

      // The same load, with a threshold it stays within, and through status.
      const loadId = /load +(L[0-9a-f]{16})/.exec(r.stdout)![1]!;
      const tolerant = await run(SCRIPTS.status, [loadId, '--wait', '--max-reject-rate', '100%'], env);
      expect(tolerant.code, tolerant.stderr).to.equal(0);
      const strict = await run(SCRIPTS.status, [loadId, '--wait', '--json'], { ...env, MAX_REJECT_RATE: '0.5' });
      expect(strict.code).to.equal(4);
      expect(JSON.parse(strict.stdout) as LoadReport).to.include({ state: 'completed', rejected: 12 });
      const bad = await run(SCRIPTS.status, [loadId, '--wait', '--max-reject-rate', '120%'], env);
      expect(bad.code).to.equal(2);

      // Rejected values are kept under the file's column names.
      const { client, db } = await openDb(env);
      try {
        const reject = await db.collection('rejects').findOne({ loadId, row: 5 });
        expect(reject?.values).to.include({
          Name: 'Ugo Usdate',
          'Billing Amount': 'lots',
          'Date of Admission': '03/01/2024',
        });
        expect(Object.keys(reject!.values as object)).to.deep.equal([...COLUMNS]);
      } finally {
        await client.close();
      }
    });
  });

  describe('files that are not CSV', function () {
    const gzipped = gzipSync(Buffer.from(`${header}\n${row('Gz Ip', '1')}\n`));
    const refusals: [string, string | Buffer, RegExp][] = [
      [
        'truncated.csv.gz',
        gzipped.subarray(0, gzipped.length - 8),
        /is gzip-compressed but cannot be decompressed \(corrupt or truncated: it is truncated\)/,
      ],
      [
        'book.xlsx',
        Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 0x08, 0]),
        /ZIP archive.*export the sheet as CSV/,
      ],
      [
        'utf16.csv',
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${header}\n`, 'utf16le')]),
        /is UTF-16 text/,
      ],
      [
        'pipes.csv',
        `${COLUMNS.join('|')}\n${row('Pi Pe', '1').replace(/,/g, '|')}\n`,
        /looks \| \(pipe\)-separated: only comma-, semicolon- and tab-separated files are read/,
      ],
    ];
    for (const [name, content, message] of refusals) {
      it(`refuses ${name} naming what it is (exit 2), writing nothing`, async () => {
        const before = await loadsRecorded();
        const r = await run(SCRIPTS.enqueue, [file(name, content)], env);
        expect(r.code, r.stderr).to.equal(2);
        expect(r.stderr).to.match(message);
        expect(r.stderr).to.not.include('Latin-1').and.to.not.include('NUL byte');
        expect(await loadsRecorded()).to.equal(before);
      });
    }
  });

  describe('usage errors', function () {
    it('exits 2 on usage errors and unreadable paths, saying what is wrong', async () => {
      for (const args of [
        [],
        ['--chunk-size', '0', 'x.csv'],
        ['--no-such-option', 'x.csv'],
        [join(dir, 'absent.csv')],
        [dir],
      ]) {
        const r = await run(SCRIPTS.enqueue, args, env);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).to.equal(2);
        expect(r.stderr).to.not.match(/\n\s+at /, 'no stack trace');
      }
      if (userInfo().uid === 0) {
        console.log(
          '      note: running as root, which may read any file: the permission-denied case is not exercised',
        );
        return;
      }
      const locked = file('locked.csv', `${header}\n`);
      (await import('node:fs')).chmodSync(locked, 0o000);
      const r = await run(SCRIPTS.enqueue, [locked], env);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.include('permission denied');
    });
  });
});
