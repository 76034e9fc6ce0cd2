import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { COLUMNS, csvField } from '@hcingest/shared';
import { accountUrl, ensureAccounts } from '../harness/accounts.js';
import { isolatedEnv, ROOT, run, SCRIPTS, startWorker } from '../harness/processes.js';
import { freePort } from '../harness/services.js';
import { openDb } from '../harness/store.js';

const GOOD_ROW = [
  'Bobby JacksOn',
  '30',
  'male',
  'b-',
  'Cancer',
  '2024-01-31',
  'Matthew Smith',
  'Sons and Miller',
  'Blue Cross',
  '18856.281305978155',
  '328',
  'Urgent',
  '2024-02-02',
  'Paracetamol',
  'Normal',
];

describe('commands: the operator contract', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-cli-'));
  const env = isolatedEnv('cli');
  after(() => rmSync(dir, { recursive: true, force: true }));

  function file(name: string, content: string | Buffer): string {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  }

  async function nothingWritten(): Promise<void> {
    const { client, db } = await openDb(env);
    try {
      expect(await db.collection('loads').countDocuments()).to.equal(0);
    } finally {
      await client.close();
    }
    const queue = new Queue(env.QUEUE_NAME!, { connection: { url: process.env.REDIS_URL } });
    try {
      const counts = await queue.getJobCounts();
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).to.equal(0);
    } finally {
      await queue.close();
    }
  }

  describe('--help and output', function () {
    for (const [name, script] of Object.entries(SCRIPTS)) {
      it(`${name} answers --help with its usage and exit 0`, async function () {
        const r = await run(script, ['--help'], env);
        expect(r.code).to.equal(0);
        expect(r.stdout).to.match(/^Usage: /);
        expect(r.stderr).to.equal('');
      });
    }

    it('npm run --silent prints nothing but the command output', function () {
      const r = spawnSync('npm', ['run', '--silent', 'status', '--', '--help'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, ...env },
      });
      expect(r.status).to.equal(0);
      expect(r.stdout).to.match(/^Usage: status /);
      expect(r.stdout, 'no npm banner').to.not.match(/^> /m);
    });
  });

  describe('the input file: what is refused and what is accepted', function () {
    it('refuses a file that lacks a column, naming it, and writes nothing', async function () {
      const header = COLUMNS.filter((c) => c !== 'Test Results').join(',');
      const r = await run(
        SCRIPTS.enqueue,
        [file('missing.csv', `${header}\n${GOOD_ROW.slice(0, 14).join(',')}\n`)],
        env,
      );
      expect(r.code).to.equal(2);
      expect(r.stderr).to.include('"Test Results"');
      expect(r.stdout).to.equal('');
      await nothingWritten();
    });

    it('refuses an empty file, a blank file and binary garbage before enqueueing', async function () {
      const cases: [string, string | Buffer, RegExp][] = [
        ['empty.csv', '', /empty/],
        ['blank.csv', '\n\n  \r\n', /blank/],
        [
          'binary.csv',
          Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00]),
          /not valid UTF-8 text: first bad byte sequence at byte offset 0/,
        ],
        ['nul.csv', `${COLUMNS.join(',')}\nab\u0000c\n`, /NUL byte at offset/],
      ];
      for (const [name, content, message] of cases) {
        const r = await run(SCRIPTS.enqueue, [file(name, content)], env);
        expect(r.code, name).to.equal(2);
        expect(r.stderr, name).to.match(message);
      }
      await nothingWritten();
    });

    it('accepts any column order and case, a BOM and CRLF, warns once about extra columns', async function () {
      const order = [...COLUMNS].reverse();
      const header = ['\uFEFF EXTRA one', ...order.map((c) => ` ${c.toUpperCase()} `)].join(',');
      const line = (values: string[]) =>
        ['x', ...order.map((c) => values[COLUMNS.indexOf(c)]!)].map(csvField).join(',');
      const other = [...GOOD_ROW];
      other[0] = 'Ann Other';
      const path = file('reordered.csv', `${header}\r\n${line(GOOD_ROW)}\r\n\r\n${line(other)}\r\n`);
      const worker = await startWorker(env);
      try {
        const r = await run(SCRIPTS.enqueue, [path, '--wait', '--json'], env);
        expect(r.code, r.stderr).to.equal(0);
        expect(r.stderr.match(/extra columns are ignored/g)).to.have.length(1);
        const report = JSON.parse(r.stdout);
        expect(report).to.include({ state: 'completed', rowsRead: 2, inserted: 2, rejected: 0 });

        const { client, db } = await openDb(env);
        try {
          const doc = await db.collection('patients').findOne({ Name: 'Bobby Jackson' });
          expect(doc).to.include({
            Gender: 'Male',
            'Blood Type': 'B-',
            'Billing Amount': 18856.28,
            Hospital: 'Sons and Miller',
          });
        } finally {
          await client.close();
        }

        const status = await run(SCRIPTS.status, [report.loadId], env);
        expect(status.code).to.equal(0);
        expect(status.stdout).to.include(
          'rows read  2 = rejected 0 + inserted 2 + updated 0 + unchanged 0 + superseded 0 + stale 0',
        );
        const json = await run(SCRIPTS.status, [report.loadId, '--json', '--wait'], env);
        expect(json.code).to.equal(0);
        expect(JSON.parse(json.stdout)).to.deep.equal(report);
      } finally {
        await worker.stop();
      }
    });
  });

  describe('settings: the environment and .env', function () {
    it('refuses a configuration error naming the variable', async function () {
      const r = await run(SCRIPTS.status, ['x'], { ...env, POLL_INTERVAL_MS: 'lots' });
      expect(r.code).to.equal(2);
      expect(r.stderr).to.include('POLL_INTERVAL_MS');
    });

    it('reads .env in the working directory, the environment winning, and names it in a settings error', async function () {
      await ensureAccounts(env);
      const cwd = mkdtempSync(join(dir, 'envfile-'));
      writeFileSync(
        join(cwd, '.env'),
        `# settings of this directory\nREDIS_URL=${process.env.REDIS_URL}\nMONGO_URL=${accountUrl(env, 'reader')}\n` +
          `DB_NAME=${env.DB_NAME}\nPOLL_INTERVAL_MS=lots\n`,
      );
      // The environment of the command: no service URLs, no database, no ENV_FILE=off of the harness.
      const bare = Object.fromEntries(
        Object.entries(process.env).filter(([k]) => !['REDIS_URL', 'MONGO_URL', 'DB_NAME', 'ENV_FILE'].includes(k)),
      );
      const status = (extra: NodeJS.ProcessEnv) =>
        spawnSync(process.execPath, [SCRIPTS.status, 'no-such-load'], {
          cwd,
          encoding: 'utf8',
          env: { ...bare, QUEUE_NAME: env.QUEUE_NAME, LOG_LEVEL: 'warn', CONNECT_TIMEOUT_MS: '3000', ...extra },
        });
      const refused = status({});
      expect(refused.status, refused.stderr).to.equal(2);
      expect(refused.stderr).to.include('POLL_INTERVAL_MS');
      expect(refused.stderr).to.include(`settings read from ${join(cwd, '.env')}`);
      // POLL_INTERVAL_MS from the environment wins over the file; the servers and database come from the
      // file: the command reaches them and answers that there is no such load.
      const answered = status({ POLL_INTERVAL_MS: '50' });
      expect(answered.stderr).to.include('no load "no-such-load"');
      expect(answered.status).to.equal(3);
      // ENV_FILE=off reads nothing: the default addresses are tried instead (no server there).
      const off = status({ POLL_INTERVAL_MS: '50', ENV_FILE: 'off' });
      expect(off.status).to.equal(1);
      expect(off.stderr).to.match(/(MongoDB|Redis) at 127\.0\.0\.1:(27017|6379)/);
    });
  });

  describe('load ids', function () {
    it('status names an unknown load and exits 3', async function () {
      const r = await run(SCRIPTS.status, ['no-such-load'], env);
      expect(r.code).to.equal(3);
      expect(r.stderr).to.include('no load "no-such-load"');
    });

    it('refuses --load-id with --new-load, and a malformed --load-id', async function () {
      const path = file('ok.csv', `${COLUMNS.join(',')}\n${GOOD_ROW.join(',')}\n`);
      const both = await run(SCRIPTS.enqueue, [path, '--load-id', 'a', '--new-load'], env);
      expect(both.code, 'a usage error is refused input').to.equal(2);
      expect(both.stderr).to.include('cannot be used together');
      const bad = await run(SCRIPTS.enqueue, [path, '--load-id', 'a:b'], env);
      expect(bad.code).to.equal(2);
      expect(bad.stderr).to.include('--load-id');
    });
  });

  describe('services that do not answer', function () {
    it('gives up on an unreachable Redis after CONNECT_TIMEOUT_MS, naming it and never its password (exit 1)', async function () {
      const closed = await freePort();
      const unreachable = {
        ...env,
        REDIS_URL: `redis://:Pw-${closed}@127.0.0.1:${closed}`,
        CONNECT_TIMEOUT_MS: '1000',
      };
      const path = file('redis-down.csv', `${COLUMNS.join(',')}\n${GOOD_ROW.join(',')}\n`);
      const loads = async () => {
        const { client, db } = await openDb(env);
        try {
          return await db.collection('loads').countDocuments();
        } finally {
          await client.close();
        }
      };
      const before = await loads();
      for (const [script, args] of [
        [SCRIPTS.status, ['Lnothing']],
        [SCRIPTS.failed, []],
        [SCRIPTS.retry, ['Lnothing']],
        [SCRIPTS.enqueue, [path]],
      ] as const) {
        // Bounded here only so that a hang fails the test instead of the suite.
        const r = await run(script, [...args], unreachable, 60_000);
        expect(r.code, `${script}: ${r.stderr}`).to.equal(1);
        expect(r.stderr).to.include(`Redis at 127.0.0.1:${closed} (REDIS_URL) did not answer within 1 s`);
        expect(r.stderr).to.not.include(`Pw-${closed}`).and.to.not.include('Unhandled error event');
      }
      expect(await loads(), 'enqueue recorded no load').to.equal(before);
    });

    it('names MongoDB and its address when it does not answer (exit 1)', async function () {
      const closed = await freePort();
      const r = await run(
        SCRIPTS.status,
        ['Lnothing'],
        {
          ...env,
          MONGO_URL: `mongodb://reader:Pw-${closed}@127.0.0.1:${closed}/?authSource=x`,
          CONNECT_TIMEOUT_MS: '1000',
        },
        60_000,
      );
      expect(r.code).to.equal(1);
      expect(r.stderr).to.include(`MongoDB at 127.0.0.1:${closed} (MONGO_URL) did not answer within 1 s`);
      expect(r.stderr).to.not.include(`Pw-${closed}`);
    });

    it('names a missing file (exit 2) before it connects, even with MongoDB down', async function () {
      const closed = await freePort();
      const downEnv = { ...env, MONGO_URL: `mongodb://127.0.0.1:${closed}/`, CONNECT_TIMEOUT_MS: '1000' };
      const r = await run(SCRIPTS.enqueue, ['no-such-file.csv', '--mode', 'mirror'], downEnv, 60_000);
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.include('cannot read no-such-file.csv').and.not.include('did not answer');
    });
  });
});
