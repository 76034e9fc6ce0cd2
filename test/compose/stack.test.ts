import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db, MongoClient } from 'mongodb';
import { chromium } from 'playwright-core';
import type { Expected } from '@hcingest/generator';
import type { LoadReport } from '@hcingest/shared';
import { startEngine, type Engine } from '../harness/compose/engine.js';
import { ComposeProject, type Ran, type StackAccount } from '../harness/compose/project.js';
import { basicHeader } from '../harness/dashboard.js';
import { generate, storedDocs } from '../harness/expectations.js';
import { expectExactLoad } from '../harness/loadAssertions.js';
import { waitUntil } from '../harness/processes.js';
import { freePort } from '../harness/services.js';

/**
 * The Docker Compose stack as its users run it: the real docker-compose.yml and Dockerfiles, built
 * and run by Docker Compose v2 on a container engine (Docker's own, or here a private podman with
 * stand-in images: test/harness/compose/engine.ts), with a `.env` made from .env.template. Every
 * step asserts exact documents and reports, read as the reader account, and prints its time.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SAMPLE = 'synthetic_healthcare_dataset.csv';
const SAMPLE_ROWS = 55_500;
const UNAUTHORIZED = 13;

const loadIdOf = (path: string) => `L${createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16)}`;
const codeOf = (err: unknown) => (err as { code?: number }).code;

function timed(label: string, seconds: number): void {
  console.log(`      ${label}: ${seconds.toFixed(1)} s`);
}

async function timedStep<T>(label: string, step: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await step();
  } finally {
    timed(label, (Date.now() - started) / 1000);
  }
}

describe('docker compose: the stack as users run it (real compose file and Dockerfiles)', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-compose-'));
  let engine: Engine;
  let project: ComposeProject;
  let sample: Expected;
  let sampleLoadId: string;
  const clients = new Map<StackAccount, MongoClient>();

  /** A connection as one of the stack's accounts (cached; closed at the end). */
  async function db(account: StackAccount = 'reader'): Promise<Db> {
    let client = clients.get(account);
    if (!client) {
      client = await project.client(account);
      clients.set(account, client);
    }
    return client.db(project.settings.DB_NAME ?? 'healthcare');
  }

  async function closeClients(): Promise<void> {
    await Promise.all([...clients.values()].map((c) => c.close()));
    clients.clear();
  }

  /** Waits until the container has exited; its exit code. */
  async function exitCodeOf(container: string, timeoutMs = 600_000): Promise<number> {
    const exited = await waitUntil(
      `${container} to exit`,
      async () => {
        const r = await project.cli(['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', container]);
        const [status, exitCode] = r.stdout.trim().split(' ');
        return status === 'exited' ? { code: Number(exitCode) } : undefined;
      },
      timeoutMs,
      1000,
    );
    return exited!.code;
  }

  async function state(container: string, field = '{{.State.Status}}'): Promise<string> {
    return (await project.cli(['inspect', '--format', field, container])).stdout.trim();
  }

  /** `status <loadId> --json` in the stack (the reader account), the report. */
  async function statusReport(loadId: string): Promise<LoadReport> {
    const r = await project.ok(['run', '--rm', '-T', 'status', loadId, '--json']);
    return JSON.parse(r.stdout) as LoadReport;
  }

  /** The producer's image run on a file of DATA_DIR, waiting for the load: its report. */
  function produce(file: string, extra: string[] = []): { done: Promise<Ran> } {
    return project.start([
      'run',
      '--rm',
      '-T',
      'producer',
      'node',
      'producer/dist/cli/enqueue.js',
      `data/${file}`,
      '--wait',
      '--json',
      ...extra,
    ]);
  }

  function reportOf(r: Ran): LoadReport {
    expect(r.code, `producer exited ${r.code}:\n${r.stderr.slice(-3000)}`).to.equal(0);
    return JSON.parse(r.stdout) as LoadReport;
  }

  /** Empties the patients collection (as root) so that the next load is a first load again. */
  async function clearPatients(): Promise<void> {
    await (await db('root')).collection('patients').deleteMany({});
  }

  async function accountedChunks(loadId: string): Promise<number> {
    return (await db()).collection('chunk_results').countDocuments({ loadId });
  }

  before(async function () {
    this.timeout(1_800_000);
    engine = await timedStep('engine ready (stand-in images checked or built)', () => startEngine());
    console.log(`      engine: ${engine.kind}${engine.kind === 'podman' ? ' with stand-in images' : ''}`);
    project = new ComposeProject(engine, dir, {
      DASHBOARD_PORT: String(await freePort()),
      // A killed worker's chunk is handed over within about 15 s instead of about a minute.
      LOCK_DURATION_MS: '10000',
      STALLED_INTERVAL_MS: '5000',
    });
    mkdirSync(join(dir, 'expected'));
    sample = await generate(join(dir, 'expected', SAMPLE), SAMPLE_ROWS, 1);
  });

  after(async function () {
    this.timeout(300_000);
    await closeClients();
    if (project) {
      const down = await timedStep('down -v', () => project.run(['down', '-v', '--remove-orphans', '--timeout', '60']));
      expect(down.code, down.stderr).to.equal(0);
      expect(await project.leftovers(), 'containers, networks or volumes left behind').to.deep.equal([]);
    }
    await engine?.stop();
    for (const pid of engine?.pids ?? []) expect(alive(pid), `engine process ${pid} still running`).to.equal(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('up -d --build --scale worker=3: data-init, db-init, three workers, the dashboard and the producer load the 55,500-row sample, exact', async function () {
    this.timeout(1_800_000);
    const up = await timedStep('up -d --build --scale worker=3', () =>
      project.ok(['up', '-d', '--build', '--scale', 'worker=3']),
    );
    expect(up.code).to.equal(0);
    const [producer] = await project.containers('producer');
    const producerCode = await timedStep('the producer load (55,500 rows, 3 workers)', () => exitCodeOf(producer!));
    const logs = await project.run(['logs', '--no-color', 'producer']);
    expect(producerCode, logs.stdout + logs.stderr).to.equal(0);

    for (const service of ['data-init', 'db-init']) {
      const [container] = await project.containers(service);
      expect(await state(container!, '{{.State.Status}} {{.State.ExitCode}}'), service).to.equal('exited 0');
    }
    const workers = await project.containers('worker');
    expect(workers).to.have.length(3);
    for (const w of workers) expect(await state(w), w).to.equal('running');
    const [dashboard] = await project.containers('dashboard');
    expect(await state(dashboard!)).to.equal('running');

    // data-init wrote the generator's sample (the default rows and seed), as the host user.
    const written = join(project.dataDir, SAMPLE);
    expect(readFileSync(written).equals(readFileSync(join(dir, 'expected', SAMPLE))), 'the generated sample').to.equal(
      true,
    );
    sampleLoadId = loadIdOf(written);
    expect(logs.stdout + logs.stderr).to.include(`load       ${sampleLoadId}  COMPLETED`);

    const report = await timedStep('status (reader account)', () => statusReport(sampleLoadId));
    await expectExactLoad(await db('reader'), report, sample, Math.ceil(SAMPLE_ROWS / 1000));
  });

  it('the three accounts do what their roles allow and nothing more, inside the stack', async function () {
    this.timeout(300_000);
    const reader = await db('reader');
    const writer = await db('writer');
    const admin = await db('admin');
    expect(await reader.collection('patients').countDocuments()).to.equal(sample.documents);

    let err = await reader
      .collection('patients')
      .insertOne({ probe: 'reader' })
      .catch((e: unknown) => e);
    expect(codeOf(err), 'reader insert').to.equal(UNAUTHORIZED);
    err = await writer.command({ createUser: 'intruder', pwd: 'x-intruder-1', roles: [] }).catch((e: unknown) => e);
    expect(codeOf(err), 'writer createUser').to.equal(UNAUTHORIZED);
    err = await writer.dropDatabase().catch((e: unknown) => e);
    expect(codeOf(err), 'writer dropDatabase').to.equal(UNAUTHORIZED);
    err = await admin
      .collection('patients')
      .insertOne({ probe: 'admin' })
      .catch((e: unknown) => e);
    expect(codeOf(err), 'admin insert').to.equal(UNAUTHORIZED);
    expect(await reader.collection('patients').countDocuments(), 'nothing written').to.equal(sample.documents);

    // Inside the stack: the producer's image signed in as the reader is refused, naming the account it needs.
    writeFileSync(
      join(project.dataDir, 'one.csv'),
      readFileSync(join(project.dataDir, SAMPLE), 'utf8').split('\n').slice(0, 2).join('\n'),
    );
    const readerUrl = `mongodb://reader:${project.settings.READER_PASS}@mongo:27017/healthcare?authSource=healthcare`;
    const asReader = await timedStep('enqueue as the reader, in the stack', () =>
      project.run([
        'run',
        '--rm',
        '-T',
        '-e',
        `MONGO_URL=${readerUrl}`,
        'producer',
        'node',
        'producer/dist/cli/enqueue.js',
        'data/one.csv',
      ]),
    );
    expect(asReader.code, asReader.stderr).to.equal(2);
    expect(asReader.stderr).to.include('user "reader"').and.to.include('the writer account');
    expect(asReader.stdout + asReader.stderr).to.not.include(project.settings.READER_PASS!);
  });

  it("the operator's commands (run --rm status, run --rm producer) leave the running stack as it is: no container recreated, three workers", async function () {
    this.timeout(300_000);
    const before = await runningContainers();
    expect([...before.keys()].filter((n) => /-worker-/.test(n))).to.have.length(3);

    const report = await timedStep('run --rm status (reader account)', () => statusReport(sampleLoadId));
    expect(report.state).to.equal('completed');
    const again = await timedStep('run --rm producer (the same file again)', () =>
      project.run(['run', '--rm', '-T', 'producer']),
    );
    expect(again.code, again.stderr.slice(-3000)).to.equal(0);
    expect(again.stdout + again.stderr).to.include(
      `load ${sampleLoadId}: this file was already enqueued (same content): nothing new to enqueue`,
    );

    expect(await runningContainers(), 'the same containers, none recreated or scaled away').to.deep.equal(before);
  });

  it('the dashboard on its published port: 401 without credentials, the loads page with them (headless Chromium), healthy', async function () {
    this.timeout(300_000);
    const url = `http://127.0.0.1:${project.settings.DASHBOARD_PORT}`;
    const auth = { user: 'operator', password: project.settings.DASHBOARD_PASSWORD! };
    expect((await fetch(`${url}/`)).status).to.equal(401);
    const api = await fetch(`${url}/api/loads`, { headers: { authorization: basicHeader(auth) } });
    expect(api.status).to.equal(200);
    const [dashboard] = await project.containers('dashboard');
    await waitUntil(
      'the dashboard to be healthy',
      async () => (await state(dashboard!, '{{.State.Health.Status}}')) === 'healthy',
      120_000,
      1000,
    );

    if (!existsSync(CHROMIUM)) {
      console.log(
        `      browser part skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`,
      );
      return;
    }
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
    try {
      const context = await browser.newContext({ httpCredentials: { username: auth.user, password: auth.password } });
      const page = await context.newPage();
      await page.goto(`${url}/`);
      const section = page.locator(`section.load[data-load-id="${sampleLoadId}"]`);
      await section.waitFor({ timeout: 30_000 });
      expect(await section.getAttribute('data-state')).to.equal('completed');
      const rowsRead = await section.locator('.counts [data-count="rowsRead"] dd').textContent();
      expect(Number((rowsRead ?? '').replace(/[^0-9]/g, ''))).to.equal(SAMPLE_ROWS);
    } finally {
      await browser.close();
    }
  });

  it('down (volumes kept), then up: the data and the accounts are still there, and the producer says the file was already loaded', async function () {
    this.timeout(900_000);
    const before = await storedDocs(await db('reader'));
    await closeClients();
    await timedStep('down (volumes kept)', () => project.ok(['down', '--timeout', '60']));
    expect(await project.containers('worker')).to.deep.equal([]);
    await timedStep('up -d --scale worker=3 (no build)', () => project.ok(['up', '-d', '--scale', 'worker=3']));
    const [producer] = await project.containers('producer');
    expect(await exitCodeOf(producer!)).to.equal(0);
    const logs = await project.run(['logs', '--no-color', 'producer']);
    expect(logs.stdout + logs.stderr).to.include(
      `load ${sampleLoadId}: this file was already enqueued (same content): nothing new to enqueue`,
    );
    expect(await storedDocs(await db('reader')), 'the same documents').to.deep.equal(before);
    expect((await statusReport(sampleLoadId)).state).to.equal('completed');
  });

  it('a worker killed with SIGKILL in the middle of a load: the load ends exact', async function () {
    this.timeout(900_000);
    const file = 'killed.csv';
    const expected = await generate(join(project.dataDir, file), 30_000, 7);
    const loadId = loadIdOf(join(project.dataDir, file));
    await clearPatients();
    const started = Date.now();
    const load = produce(file);
    await waitUntil('a few chunks accounted', async () => (await accountedChunks(loadId)) >= 3, 300_000, 250);
    const victim = (await project.containers('worker'))[1]!;
    const kill = await project.cli(['kill', '--signal', 'KILL', victim]);
    expect(kill.code, kill.stderr).to.equal(0);
    const accountedAtKill = await accountedChunks(loadId);
    expect(accountedAtKill, 'killed while the load was under way').to.be.below(30);
    const report = reportOf(await load.done);
    timed(`the load with a worker killed at chunk ${accountedAtKill}/30`, (Date.now() - started) / 1000);
    await expectExactLoad(await db('reader'), report, expected, 30);
  });

  it("Redis's container restarted in the middle of a load: the load ends exact", async function () {
    this.timeout(900_000);
    const file = 'redis-restart.csv';
    const expected = await generate(join(project.dataDir, file), 30_000, 8);
    const loadId = loadIdOf(join(project.dataDir, file));
    await clearPatients();
    const started = Date.now();
    const load = produce(file);
    await waitUntil('a few chunks accounted', async () => (await accountedChunks(loadId)) >= 3, 300_000, 250);
    const restart = await timedStep('restart redis', () => project.run(['restart', 'redis']));
    expect(restart.code, restart.stderr).to.equal(0);
    const accountedAtRestart = await accountedChunks(loadId);
    expect(accountedAtRestart, 'restarted while the load was under way').to.be.below(30);
    const report = reportOf(await load.done);
    timed(`the load with Redis restarted at chunk ${accountedAtRestart}/30`, (Date.now() - started) / 1000);
    await expectExactLoad(await db('reader'), report, expected, 30);
  });

  it('--scale worker=1 and --scale worker=3 on the same file, timed side by side (each exact)', async function () {
    this.timeout(1_200_000);
    const rows: string[] = [];
    for (const workers of [1, 3]) {
      await project.ok(['up', '-d', '--scale', `worker=${workers}`, 'worker']);
      expect(await runningWorkers()).to.equal(workers);
      await clearPatients();
      const started = Date.now();
      const report = reportOf(await produce(SAMPLE, ['--new-load']).done);
      const seconds = (Date.now() - started) / 1000;
      await expectExactLoad(await db('reader'), report, sample, Math.ceil(SAMPLE_ROWS / 1000));
      rows.push(`worker=${workers}: ${seconds.toFixed(1)} s end to end, ${Math.round(SAMPLE_ROWS / seconds)} rows/s`);
    }
    for (const row of rows) console.log(`      ${row}`);
  });

  it('docker compose --profile test run --rm test: the test suite passes inside the stack', async function () {
    this.timeout(3_600_000);
    const r = await timedStep('--profile test run --rm test', () =>
      project.run(['--profile', 'test', 'run', '--build', '--rm', '-T', 'test']),
    );
    const output = r.stdout + r.stderr;
    const summary = output.split('\n').filter((l) => /^\s+\d+ (passing|pending|failing)/.test(l));
    for (const line of summary) console.log(`      in the container: ${line.trim()}`);
    expect(r.code, output.slice(-6000)).to.equal(0);
    expect(
      summary.filter((l) => /passing/.test(l)),
      'mocha summaries',
    ).to.have.length(3);
    expect(output).to.not.match(/^\s+\d+ failing/m);
  });

  /** The project's running services' containers: name → container ID (one-off `run` containers left out). */
  async function runningContainers(): Promise<Map<string, string>> {
    const r = await project.cli([
      'ps',
      '--filter',
      `label=com.docker.compose.project=${project.name}`,
      '--filter',
      'label=com.docker.compose.oneoff=False',
      '--format',
      '{{.Names}} {{.ID}}',
    ]);
    const pairs = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ') as [string, string]);
    return new Map(pairs.sort(([a], [b]) => a.localeCompare(b)));
  }

  async function runningWorkers(): Promise<number> {
    let n = 0;
    for (const w of await project.containers('worker')) if ((await state(w)) === 'running') n++;
    return n;
  }
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
