import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { urlPassword, type LoadReport, COLUMNS, type Column, csvField } from '@hcingest/shared';
import { isolatedEnv, ROOT, run, SCRIPTS, type RunResult } from '../harness/processes.js';
import { accountUrl, asAccountOf } from '../harness/accounts.js';
import { freePort, RedisServer } from '../harness/services.js';
import { openDb } from '../harness/store.js';

/**
 * Logs and outputs never carry a password, a connection string with credentials or patient
 * data: a real load at LOG_LEVEL=debug with a distinctive patient name and distinctive
 * passwords, then commands made to fail on purpose, and every byte they print is searched.
 */

/** A Redis that requires a password; the harness probes readiness through `url`, so it carries it. */
class PasswordRedis extends RedisServer {
  constructor(
    port: number,
    readonly password: string,
  ) {
    super(port);
  }
  override get url() {
    return `redis://:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}`;
  }
}

interface Output {
  what: string;
  text: string;
}

/** Runs a command for at most `ms`, then kills it; resolves with whatever it printed. */
function runFor(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ms: number,
): Promise<RunResult & { killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env }, cwd: ROOT });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, ms);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, killed });
    });
  });
}

/** A worker at the level `env` asks for (the harness's startWorker pins LOG_LEVEL=info). */
async function startDebugWorker(env: NodeJS.ProcessEnv) {
  const proc = spawn(process.execPath, [SCRIPTS.worker], { env: { ...process.env, ...env }, cwd: ROOT });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker not ready within 60 s:\n${out}`)), 60_000);
    proc.stderr.on('data', () => {
      if (out.includes('"worker ready"')) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', (code) => reject(new Error(`worker exited with ${code} before ready:\n${out}`)));
  });
  return {
    output: () => out,
    async stop(): Promise<number | null> {
      if (proc.exitCode !== null) return proc.exitCode;
      const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
      proc.kill('SIGTERM');
      return exited;
    },
  };
}

const GIVEN = 'Xanthippa';
const FAMILY = 'Quorvendahl';

function row(values: Partial<Record<Column, string>>, i: number): string {
  const base: Record<Column, string> = {
    Name: `Patient Number${String.fromCharCode(65 + (i % 26))}`,
    Age: String(20 + (i % 60)),
    Gender: i % 2 ? 'Male' : 'Female',
    'Blood Type': 'O+',
    'Medical Condition': 'Asthma',
    'Date of Admission': `2024-03-${String(1 + (i % 28)).padStart(2, '0')}`,
    Doctor: 'Dana Scully',
    Hospital: `Hospital ${i}, Inc.`,
    'Insurance Provider': 'Aetna',
    'Billing Amount': '1234.5',
    'Room Number': String(100 + i),
    'Admission Type': 'Urgent',
    'Discharge Date': '2024-04-02',
    Medication: 'Aspirin',
    'Test Results': 'Normal',
    ...values,
  };
  return COLUMNS.map((c) => csvField(base[c])).join(',');
}

describe('log hygiene: no password, credentials or patient data in any output', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-hygiene-'));
  const redisPassword = `RdsPw-${randomBytes(8).toString('hex')}`;
  const wrongRedisPassword = `WrongRdsPw-${randomBytes(8).toString('hex')}`;
  const unreachableMongoPassword = `UnreachablePw-${randomBytes(8).toString('hex')}`;
  const wrongMongoPassword = `WrongMngPw-${randomBytes(8).toString('hex')}`;
  let redis: PasswordRedis | undefined;
  const outputs: Output[] = [];
  // Every command signs in with a password (writer, reader, and root for db:init).
  const env = isolatedEnv('hygiene', {
    NODE_ENV: 'production', // as deployed: the passwords pass the production check
    LOG_LEVEL: 'debug',
    WORKER_HTTP_PORT: '0',
  });
  const secrets = () =>
    [
      redisPassword,
      wrongRedisPassword,
      unreachableMongoPassword,
      wrongMongoPassword,
      env.ADMIN_PASS!,
      env.WRITER_PASS!,
      env.READER_PASS!,
      urlPassword(process.env.MONGO_URL!),
    ].filter(Boolean);

  before(async function () {
    redis = new PasswordRedis(await freePort(), redisPassword);
    try {
      await redis.start(['--requirepass', redisPassword]);
    } catch (err) {
      redis.cleanup();
      redis = undefined;
      console.log(`      skipped: cannot start a private redis-server with a password (${(err as Error).message})`);
      this.skip();
    }
    env.REDIS_URL = redis.url;
  });

  after(async () => {
    const { client, db } = await openDb(env);
    await db.dropDatabase().catch(() => undefined);
    await client.close();
    await redis?.stop();
    redis?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a real load at LOG_LEVEL=debug prints neither the patient name nor the passwords', async function () {
    const file = join(dir, 'hygiene.csv');
    const rows: string[] = [];
    for (let i = 0; i < 24; i++) rows.push(row({}, i));
    const patient = { Name: `${GIVEN.toLowerCase()} ${FAMILY.toUpperCase()}`, Gender: 'female', 'Blood Type': 'ab-' };
    rows.splice(3, 0, row({ ...patient, Hospital: 'Mercy, General' }, 100)); // inserted
    rows.splice(11, 0, row({ ...patient, Hospital: 'Mercy, General', 'Billing Amount': '99.5' }, 100)); // corrected: updated
    rows.splice(17, 0, row({ ...patient, Age: 'not-an-age' }, 101)); // rejected, raw values stored
    writeFileSync(file, `${COLUMNS.join(',')}\n${rows.join('\n')}\n`);

    const worker = await startDebugWorker(await asAccountOf(SCRIPTS.worker, env));
    let loadId = '';
    try {
      const load = await run(SCRIPTS.enqueue, [file, '--chunk-size', '5', '--wait', '--json'], env);
      outputs.push({ what: 'enqueue --wait --json', text: load.stdout + load.stderr });
      expect(load.code, load.stderr).to.equal(0);
      const report = JSON.parse(load.stdout) as LoadReport;
      expect(report.state).to.equal('completed');
      expect(report.rowsRead).to.equal(27);
      expect(report.rejected).to.equal(1);
      loadId = report.loadId;

      const plain = await run(SCRIPTS.enqueue, [file], env); // same file: the same load, resumed
      outputs.push({ what: 'enqueue (again)', text: plain.stdout + plain.stderr });
      expect(plain.code, plain.stderr).to.equal(0);
      for (const args of [[loadId], [loadId, '--json'], [loadId, '--wait']]) {
        const status = await run(SCRIPTS.status, args, env);
        outputs.push({ what: `status ${args.join(' ')}`, text: status.stdout + status.stderr });
        expect(status.code, status.stderr).to.equal(0);
      }
    } finally {
      expect(await worker.stop()).to.equal(0);
      outputs.push({ what: 'worker', text: worker.output() });
    }

    // The patient really went through: stored under the cleaned name, and its reject kept.
    const { client, db } = await openDb(env);
    try {
      expect(await db.collection('patients').countDocuments({ Name: `${GIVEN} ${FAMILY}` })).to.equal(1);
      expect(await db.collection('rejects').countDocuments({ loadId })).to.equal(1);
    } finally {
      await client.close();
    }
    // And the worker did log at debug level.
    expect(outputs.at(-1)!.text).to.match(/"level":20/);
    assertClean(outputs);
  });

  it('commands that fail on purpose do not echo the passwords', async function () {
    const file = join(dir, 'fail.csv');
    writeFileSync(file, `${COLUMNS.join(',')}\n${row({}, 1)}\n`);
    const wrongRedis = `redis://:${wrongRedisPassword}@127.0.0.1:${redis!.port}`;
    const failures: Output[] = [];

    // MongoDB unreachable, with a password in the URL: fails within the server selection timeout.
    const closedPort = await freePort();
    const unreachable = `mongodb://writer:${unreachableMongoPassword}@127.0.0.1:${closedPort}/?authSource=healthcare`;
    const status = await runFor(SCRIPTS.status, ['Lnothing'], { ...env, MONGO_URL: unreachable }, 60_000);
    expect(status.killed).to.equal(false);
    expect(status.code).to.equal(1);
    expect(status.stderr).to.match(/ECONNREFUSED|Server selection/i);
    failures.push({ what: 'status (unreachable MongoDB)', text: status.stdout + status.stderr });

    // A wrong MongoDB password: refused, saying so, without the password.
    const wrongMongo = accountUrl({ ...env, READER_PASS: wrongMongoPassword }, 'reader');
    const refused = await run(SCRIPTS.status, ['Lnothing'], { ...env, MONGO_URL: wrongMongo });
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.match(/authentication failed/i);
    expect(refused.stderr).to.include(`user "${env.READER_USER}"`);
    failures.push({ what: 'status (wrong MongoDB password)', text: refused.stdout + refused.stderr });

    // A wrong Redis password: ioredis retries forever, so each command is stopped after a while.
    const enqueue = await runFor(SCRIPTS.enqueue, [file, '--wait'], { ...env, REDIS_URL: wrongRedis }, 8_000);
    expect(enqueue.stderr).to.include('WRONGPASS');
    failures.push({ what: 'enqueue (wrong Redis password)', text: enqueue.stdout + enqueue.stderr });

    const worker = await runFor(SCRIPTS.worker, [], { ...env, REDIS_URL: wrongRedis }, 8_000);
    expect(worker.stderr).to.include('WRONGPASS');
    failures.push({ what: 'worker (wrong Redis password)', text: worker.stdout + worker.stderr });

    // Production refuses a placeholder password, naming the variable only.
    const placeholder = await run(SCRIPTS.status, ['Lnothing'], {
      ...env,
      NODE_ENV: 'production',
      REDIS_URL: `redis://:change-me@127.0.0.1:${redis!.port}`,
      MONGO_URL: unreachable,
    });
    expect(placeholder.code).to.equal(2);
    expect(placeholder.stderr).to.include('REDIS_URL');
    failures.push({ what: 'status (placeholder password)', text: placeholder.stdout + placeholder.stderr });

    assertClean(failures);
  });

  function assertClean(list: Output[]): void {
    expect(list).to.have.length.greaterThan(0);
    for (const { what, text } of list) {
      expect(text.length, `${what} printed something`).to.be.greaterThan(0);
      const lower = text.toLowerCase();
      expect(lower, `${what}: patient name`).to.not.include(GIVEN.toLowerCase());
      expect(lower, `${what}: patient name`).to.not.include(FAMILY.toLowerCase());
      for (const s of secrets()) expect(text, `${what}: a password`).to.not.include(s);
      expect(text, `${what}: a connection string with credentials`).to.not.match(/[a-z]+:\/\/[^\s/@"]*:[^\s/@"*]+@/i);
    }
  }
});
