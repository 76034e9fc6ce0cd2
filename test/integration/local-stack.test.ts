import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  existsSync,
} from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { MongoClient } from 'mongodb';
import type { Expected } from '@hcingest/generator';
import { byIdentity, generate, storedDocs } from '../harness/expectations.js';
import { ROOT } from '../harness/paths.js';
import { freePort, SECANTUSD_IN_VENV } from '../harness/services.js';

/**
 * `npm start` as a user runs it: the real script through npm, on a stack folder of its own, with
 * its own Redis and SecantusDB (the harness's servers are not given to it).
 */
interface Started {
  pid: number;
  output: () => string;
  exited: Promise<number | null>;
}

describe('npm start: a real load on a local stack it sets up and runs itself', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-localstack-'));
  const stackDir = join(dir, 'stack');
  let small: Expected;
  let large: Expected;
  const smallFile = join(dir, 'small.csv');
  const largeFile = join(dir, 'large.csv');

  before(async function () {
    if (!existsSync(SECANTUSD_IN_VENV)) {
      // The compose test service runs against MongoDB itself, without SecantusDB.
      console.log(
        `      skipped: npm start's local store is not installed (${SECANTUSD_IN_VENV}; npm run setup installs it)`,
      );
      this.skip();
    }
    small = await generate(smallFile, 2000, 31);
    large = await generate(largeFile, 30_000, 32);
  });
  after(async function () {
    // Whatever a failed test left running.
    await npmDone(['run', 'stop'], userEnv());
    rmSync(dir, { recursive: true, force: true });
  });

  /** The environment of a user's shell: no REDIS_URL / MONGO_URL, the stack in the test's folder. */
  function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.REDIS_URL;
    delete env.MONGO_URL;
    delete env.DB_NAME;
    return { ...env, LOCAL_STACK_DIR: stackDir, ENV_FILE: 'off', ...extra };
  }

  /** Runs an npm script in a process group of its own, as a terminal would (Ctrl-C reaches the group). */
  function npm(args: string[], env: NodeJS.ProcessEnv): Started {
    const child = spawn('npm', args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    // As a shell reports it: npm re-raises the Ctrl-C it waited out, so a signal is 128 + its number.
    const exited = new Promise<number | null>((resolve) =>
      child.on('close', (code, sig) => resolve(code ?? (sig ? 128 + constants.signals[sig] : null))),
    );
    return { pid: child.pid!, output: () => out, exited };
  }

  async function npmDone(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
    const started = npm(args, env);
    const code = await started.exited;
    return { code, output: started.output() };
  }

  /**
   * Every live process of this test's stack: npm start marks them in their environment, and runs
   * the servers in the stack folder (redis-server overwrites its environment with its title).
   */
  function stackProcesses(): string[] {
    const found: string[] = [];
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      try {
        const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
        const cwd = readlinkSync(`/proc/${pid}/cwd`);
        const ours = environ.split('\0').includes(`HCINGEST_STACK=${stackDir}`) || cwd.startsWith(stackDir);
        if (!ours) continue;
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue; // exited, not yet reaped
        found.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')}`);
      } catch {
        // gone, or not ours to read
      }
    }
    return found;
  }

  async function expectNothingLeft(): Promise<void> {
    // Zombies of already-stopped processes are skipped; give the last exits a moment to land.
    for (let i = 0; i < 20 && stackProcesses().length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(stackProcesses(), 'processes still running').to.deep.equal([]);
    expect(existsSync(join(stackDir, 'stack.json')), 'stack.json of a stopped stack').to.equal(false);
  }

  function report(output: string) {
    const m = /load\s+(L\w+)\s+(\w+)\n[\s\S]*?rows read\s+([\d,]+) = rejected ([\d,]+) \+ inserted ([\d,]+)/.exec(
      output,
    );
    expect(m, output).to.not.equal(null);
    const n = (s: string) => Number(s.replace(/,/g, ''));
    return {
      loadId: m![1]!,
      state: m![2]!,
      rowsRead: n(m![3]!),
      rejected: n(m![4]!),
      inserted: n(m![5]!),
      line: m![0],
    };
  }

  function credentials(): Record<string, string> {
    return parseEnv(readFileSync(join(stackDir, 'credentials.env'), 'utf8')) as Record<string, string>;
  }

  function stackState(): { ownerPid: number; kept: boolean; mongoShown: string; apps: unknown[]; services: unknown[] } {
    return JSON.parse(readFileSync(join(stackDir, 'stack.json'), 'utf8'));
  }

  async function waitFor(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await probe())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  let first: ReturnType<typeof report>;

  describe('a load and its reruns: first load, already loaded, --reset', function () {
    it('loads a file with workers and the dashboard on ports from settings; the dashboard answers while it runs; nothing is left', async function () {
      const dashboardPort = await freePort();
      const ports = { LOCAL_REDIS_PORT: String(await freePort()), LOCAL_MONGO_PORT: String(await freePort()) };
      const run = npm(
        ['start', '--', smallFile, '--workers', '2'],
        userEnv({ ...ports, DASHBOARD_PORT: String(dashboardPort) }),
      );
      let answered = 0;
      let refusedWithoutAuth = false;
      let ended = false;
      void run.exited.then(() => (ended = true));
      let sawState = false;
      let writerSettings = '';
      while (!ended) {
        if (!writerSettings && existsSync(join(stackDir, 'writer.env'))) {
          writerSettings = readFileSync(join(stackDir, 'writer.env'), 'utf8');
        }
        if (existsSync(join(stackDir, 'stack.json')) && existsSync(join(stackDir, 'credentials.env'))) {
          const creds = credentials();
          const auth = `Basic ${Buffer.from(`${creds.DASHBOARD_USER}:${creds.DASHBOARD_PASSWORD}`).toString('base64')}`;
          try {
            const state = stackState();
            sawState ||= state.apps.length === 3 && state.services.length === 2;
            const res = await fetch(`http://127.0.0.1:${dashboardPort}/api/loads`, {
              headers: { authorization: auth },
            });
            const body = res.ok ? ((await res.json()) as { loads: { loadId: string }[] }) : { loads: [] };
            if (body.loads.length > 0) answered++;
            refusedWithoutAuth ||= (await fetch(`http://127.0.0.1:${dashboardPort}/api/loads`)).status === 401;
          } catch {
            // not listening yet, or already stopped
          }
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      const code = await run.exited;
      const output = run.output();
      expect(code, output).to.equal(0);
      first = report(output);
      expect(first).to.include({
        state: 'COMPLETED',
        rowsRead: 2000,
        rejected: small.rejected,
        inserted: small.docs.length,
      });
      expect(output).to.include(`dashboard: http://127.0.0.1:${dashboardPort}/`);
      expect(sawState, 'stack.json listed 2 workers, the dashboard and the 2 servers').to.equal(true);
      expect(answered, 'authenticated /api/loads answered while the load ran').to.be.greaterThan(0);
      expect(refusedWithoutAuth, 'the dashboard refuses requests without the password').to.equal(true);
      expect(readFileSync(join(stackDir, 'redis.conf'), 'utf8')).to.include(`port ${ports.LOCAL_REDIS_PORT}`);
      // Its own test server builds indexes under a store-wide lock: the query indexes come upfront.
      expect(writerSettings, 'writer.env while it ran').to.match(/^QUERY_INDEXES=upfront$/m);
      // Generated passwords: private to the user, never printed.
      expect(statSync(join(stackDir, 'credentials.env')).mode & 0o777).to.equal(0o600);
      const creds = credentials();
      expect(Object.keys(creds)).to.include.members([
        'MONGO_ROOT_PASS',
        'WRITER_PASS',
        'READER_PASS',
        'DASHBOARD_PASSWORD',
      ]);
      for (const [name, value] of Object.entries(creds)) {
        if (name.endsWith('PASS') || name.endsWith('PASSWORD')) expect(output, name).to.not.include(value);
      }
      await expectNothingLeft();
    });

    it('a second npm start of the same file reports it as already loaded: the same load, nothing new', async function () {
      const { code, output } = await npmDone(['start', '--', smallFile], userEnv());
      expect(code, output).to.equal(0);
      expect(output).to.include(
        `load ${first.loadId}: this file was already enqueued (same content): nothing new to enqueue`,
      );
      expect(report(output).line).to.equal(first.line);
      await expectNothingLeft();
    });

    it('--reset wipes the data and the passwords: the same file is then a first load again', async function () {
      const before = credentials();
      const { code, output } = await npmDone(['start', '--', smallFile, '--reset', '--workers', '1'], userEnv());
      expect(code, output).to.equal(0);
      expect(output).to.not.include('already enqueued');
      expect(report(output)).to.include({ state: 'COMPLETED', inserted: small.docs.length });
      expect(credentials().WRITER_PASS).to.not.equal(before.WRITER_PASS);
      await expectNothingLeft();
    });
  });

  describe('stopping: Ctrl-C and SIGTERM', function () {
    it('Ctrl-C in the middle of a load stops all it started; the same command resumes, and the documents are exact', async function () {
      const env = userEnv({ DB_NAME: 'interrupted' });
      const run = npm(['start', '--', largeFile], env);
      // In the middle: some rows processed, not all.
      await waitFor('progress', () => /: [1-9][\d,]*\/30,000 rows/.test(run.output()));
      process.kill(-run.pid, 'SIGINT');
      const code = await run.exited;
      expect(code, run.output()).to.equal(130);
      expect(run.output()).to.match(/RUNNING|interrupted|stopped waiting/);
      await expectNothingLeft();

      // Again, keeping the stack to look at the documents and ask status as the operator would.
      const again = await npmDone(['start', '--', largeFile, '--keep'], env);
      expect(again.code, again.output).to.equal(0);
      const resumed = report(again.output);
      expect(resumed).to.include({ state: 'COMPLETED', rowsRead: 30_000, rejected: large.rejected });
      expect(again.output).to.include('npm run stop');
      const state = stackState();
      expect(state.kept).to.equal(true);
      expect(stackProcesses().length, 'the kept stack: 2 workers, dashboard, redis, secantus').to.equal(5);

      const creds = credentials();
      const client = new MongoClient(`mongodb://root:${creds.MONGO_ROOT_PASS}@${state.mongoShown}/?authSource=admin`);
      try {
        expect(await storedDocs(client.db('interrupted'))).to.deep.equal([...large.docs].sort(byIdentity));
      } finally {
        await client.close();
      }
      const status = spawnSync('npm', ['run', '--silent', 'status', '--', resumed.loadId], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...userEnv(), ENV_FILE: join(stackDir, 'reader.env') },
      });
      expect(status.status, status.stderr).to.equal(0);
      expect(status.stdout).to.include(`load       ${resumed.loadId}  COMPLETED`);

      const stop = await npmDone(['run', 'stop'], userEnv());
      expect(stop.code, stop.output).to.equal(0);
      await expectNothingLeft();
      const nothing = await npmDone(['run', 'stop'], userEnv());
      expect(nothing.code).to.equal(0);
      expect(nothing.output).to.include('no local stack is running');
    });

    it('SIGTERM to npm start stops its load and everything it started, even with --keep', async function () {
      const run = npm(['start', '--', largeFile, '--keep'], userEnv({ DB_NAME: 'terminated' }));
      await waitFor('progress', () => /: [1-9][\d,]*\/30,000 rows/.test(run.output()));
      process.kill(stackState().ownerPid, 'SIGTERM');
      const code = await run.exited;
      expect(code, run.output()).to.equal(130);
      await expectNothingLeft();
    });
  });

  describe('what it loads and into which servers', function () {
    it('without a file loads the synthetic sample, generating it when absent', async function () {
      const { code, output } = await npmDone(['start', '--', '--workers', '1'], userEnv({ DB_NAME: 'sample' }));
      expect(code, output).to.equal(0);
      expect(output).to.match(/file\s+synthetic_healthcare_dataset\.csv/);
      expect(report(output)).to.include({ state: 'COMPLETED', rowsRead: 55_500 });
      expect(existsSync(join(ROOT, 'data', 'synthetic_healthcare_dataset.csv'))).to.equal(true);
      await expectNothingLeft();
    });

    it('with REDIS_URL and MONGO_URL set starts no server of its own and loads into those', async function () {
      const env = { ...userEnv({ DB_NAME: 'given_servers', QUEUE_NAME: 'given_servers' }) };
      env.REDIS_URL = process.env.REDIS_URL;
      env.MONGO_URL = process.env.MONGO_URL; // the harness's root account: db:init needs index rights
      const run = npm(['start', '--', smallFile, '--workers', '1'], env);
      let services: unknown[] | undefined;
      let ended = false;
      void run.exited.then(() => (ended = true));
      while (!ended) {
        if (existsSync(join(stackDir, 'stack.json'))) services ??= stackState().services;
        await new Promise((r) => setTimeout(r, 50));
      }
      const code = await run.exited;
      expect(code, run.output()).to.equal(0);
      expect(services, 'no redis-server, no secantusd-py').to.deep.equal([]);
      expect(report(run.output())).to.include({ state: 'COMPLETED', inserted: small.docs.length });
      const client = new MongoClient(process.env.MONGO_URL!);
      try {
        expect(await storedDocs(client.db('given_servers'))).to.deep.equal([...small.docs].sort(byIdentity));
      } finally {
        await client.close();
      }
      await expectNothingLeft();
    });
  });

  describe('when it cannot set up a server', function () {
    it('stops before starting anything when it cannot set up a server, saying what to install or set', async function () {
      // A machine with Node and a shell only: no apt-get, no redis-server, no Python.
      const bin = mkdtempSync(join(dir, 'bin-'));
      symlinkSync('/bin/sh', join(bin, 'sh'));
      // What npm start runs first (npm itself is not on this PATH).
      const r = spawnSync(process.execPath, [join(ROOT, 'scripts/setup.mjs'), '--for', 'start'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...userEnv({ LOCAL_STACK_DIR: join(dir, 'never') }), PATH: bin, SECANTUS_VENV: join(dir, 'no-venv') },
      });
      expect(r.status, r.stderr).to.equal(1);
      expect(r.stderr).to.include('redis-server is not installed');
      expect(r.stderr).to.include('set REDIS_URL');
      expect(r.stderr).to.include('Python 3 (3.10 or later) is not installed');
      expect(r.stderr).to.include('set MONGO_URL');
      expect(existsSync(join(dir, 'never', 'stack.json')), 'nothing was started').to.equal(false);
    });
  });
});
