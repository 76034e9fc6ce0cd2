import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadReport } from '@hcingest/shared';
import type { ConcurrencyView, LoadView } from '@hcingest/ops';
import {
  basicHeader,
  DASHBOARD_CREDENTIALS,
  parseMetrics,
  startDashboardProcess,
  type DashboardProcess,
} from '../harness/dashboard.js';
import { generate, rejectsByReason } from '../harness/expectations.js';
import { isolatedEnv, run, SCRIPTS, startWorker } from '../harness/processes.js';
import { freePort } from '../harness/services.js';
import { openDb } from '../harness/store.js';

const PROTECTED = [
  '/',
  '/api/loads',
  '/api/loads/L0000000000000000',
  '/queues',
  '/queues/api/queues',
  '/assets/loads.js',
];

describe('dashboard: HTTP against real services', function () {
  // One dashboard and one store for every test, which run in this order: the first groups run
  // before any load (no loads listed, counters at 0), the later ones count the loads before them.
  const dir = mkdtempSync(join(tmpdir(), 'hc-dash-'));
  const env = isolatedEnv('dash');
  let dash: DashboardProcess;
  /** the first load's report as `status --json` printed it */
  let first: LoadReport;
  /** the chunks-in-flight limit the dashboard showed after the first load */
  let inFlightLimit: number;

  before(async function () {
    dash = await startDashboardProcess(env);
  });
  after(async function () {
    const code = await dash?.stop();
    rmSync(dir, { recursive: true, force: true });
    expect(code, 'dashboard exit code on SIGTERM').to.equal(0);
  });

  async function json<T>(path: string): Promise<T> {
    const r = await dash.get(path);
    expect(r.status, `${path}: ${r.status}`).to.equal(200);
    return (await r.json()) as T;
  }
  async function metrics(): Promise<Map<string, number>> {
    const r = await dash.get('/metrics', null);
    expect(r.status).to.equal(200);
    expect(r.headers.get('content-type')).to.match(/^text\/plain;.*version=0\.0\.4/);
    return parseMetrics(await r.text());
  }

  describe('authentication: Basic auth on every page and API', function () {
    it('answers 401 with a Basic challenge without credentials or with wrong ones', async function () {
      const wrong = [
        null,
        { ...DASHBOARD_CREDENTIALS, password: 'wrong' },
        { ...DASHBOARD_CREDENTIALS, user: 'admin' },
      ];
      for (const path of PROTECTED) {
        for (const auth of wrong) {
          const r = await dash.get(path, auth);
          expect(r.status, `${path} with ${auth ? auth.user : 'no credentials'}`).to.equal(401);
          expect(r.headers.get('www-authenticate')).to.match(/^Basic realm="[^"]+"/);
          expect(await r.text()).to.not.include(DASHBOARD_CREDENTIALS.password);
        }
      }
      // A malformed header is no credential either.
      const r = await fetch(`${dash.url}/api/loads`, { headers: { authorization: 'Basic %%%' } });
      expect(r.status).to.equal(401);
    });

    it('serves the loads page, the API and bull-board with the credentials', async function () {
      const page = await dash.get('/');
      expect(page.status).to.equal(200);
      expect(page.headers.get('content-type')).to.match(/^text\/html/);
      expect(page.headers.get('content-security-policy')).to.include("script-src 'self'");
      expect(await page.text()).to.include('assets/loads.js');
      expect((await json<{ loads: LoadView[] }>('/api/loads')).loads).to.deep.equal([]);
      const board = await dash.get('/queues');
      expect(board.status).to.equal(200);
      const html = await board.text();
      expect(html).to.match(/<html/i);
      // Everything the board's page loads is the dashboard's own (no fonts from a CDN), and its
      // CSP keeps it that way; its scripts and stylesheet are served from the package.
      const refs = [...html.matchAll(/\s(?:href|src)\s*=\s*["']?([^"'\s>]+)/gi)].map((m) => m[1]!);
      expect(
        refs.filter((r) => /^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(r)),
        'absolute URLs',
      ).to.deep.equal([]);
      expect(board.headers.get('content-security-policy')).to.match(/default-src 'self'/);
      const assets = refs.filter((r) => r.startsWith('static/'));
      expect(assets.some((r) => r.endsWith('.js')) && assets.some((r) => r.endsWith('.css'))).to.equal(true);
      for (const asset of assets) expect((await dash.get(`/queues/${asset}`)).status, asset).to.equal(200);
      const queues = await json<{ queues: { name: string; readOnlyMode: boolean }[] }>('/queues/api/queues');
      expect(queues.queues.map((q) => q.name)).to.deep.equal([env.QUEUE_NAME]);
      expect(queues.queues[0]!.readOnlyMode).to.equal(false);
      expect((await dash.get('/api/loads/L0000000000000000')).status).to.equal(404);
      expect((await dash.get('/api/loads?limit=0')).status).to.equal(400);
      expect((await dash.get('/assets/loads.js')).headers.get('content-type')).to.match(/javascript/);
      expect((await dash.get('/nowhere')).status).to.equal(404);
    });
  });

  describe('probes: /healthz, /readyz, /metrics and the container healthcheck', function () {
    it('serves /healthz, /readyz and /metrics without auth', async function () {
      const health = await dash.get('/healthz', null);
      expect(health.status).to.equal(200);
      const ready = await dash.get('/readyz', null);
      expect(ready.status).to.equal(200);
      expect(await ready.json()).to.deep.include({ ready: true });
      const m = await metrics();
      expect(m.get('hcingest_rows_processed_total')).to.equal(0);
      expect(m.get('hcingest_queue_jobs{state="waiting"}')).to.equal(0);
      expect(m.get('hcingest_dashboard_backend_up{backend="mongodb"}')).to.equal(1);
      expect(m.has('nodejs_eventloop_lag_seconds')).to.equal(true);
    });

    it('the container healthcheck (ops/dist/cli/healthcheck.js) exits 0 while the dashboard answers on DASHBOARD_PORT, 1 when nothing does', async function () {
      const up = await run(SCRIPTS.healthcheck, [], { ...env, DASHBOARD_PORT: String(dash.port) });
      expect(up.code, up.stderr).to.equal(0);
      const down = await run(SCRIPTS.healthcheck, [], { ...env, DASHBOARD_PORT: String(await freePort()) });
      expect(down.code).to.equal(1);
      expect(down.stderr).to.include('/healthz did not answer');
    });
  });

  describe('starting: the password and the listening address', function () {
    it('refuses to start without a password (exit 2, naming DASHBOARD_PASSWORD), starts with DASHBOARD_AUTH=off', async function () {
      const port = String(await freePort());
      const refused = await run(
        SCRIPTS.dashboard,
        [],
        { ...env, DASHBOARD_PORT: port, DASHBOARD_PASSWORD: '' },
        30_000,
      );
      expect(refused.code).to.equal(2);
      expect(refused.stderr).to.include('DASHBOARD_PASSWORD');
      expect(refused.stdout).to.equal('');

      const open = await startDashboardProcess(env, { DASHBOARD_AUTH: 'off', DASHBOARD_PASSWORD: '' });
      try {
        expect(open.bg.stderr()).to.include('DASHBOARD_AUTH=off');
        expect((await open.get('/api/loads', null)).status).to.equal(200);
        expect((await open.get('/', null)).status).to.equal(200);
      } finally {
        expect(await open.stop()).to.equal(0);
      }
    });

    it('listens on 127.0.0.1 by default, on DASHBOARD_HOST when set; refuses an invalid one (exit 2, naming it)', async function () {
      /** true when something answers /healthz at that address, false when the connection is refused */
      const answers = async (host: string, port: number) => {
        try {
          return (await fetch(`http://${host}:${port}/healthz`, { signal: AbortSignal.timeout(15_000) })).ok;
        } catch (err) {
          expect(String((err as Error & { cause?: { code?: string } }).cause?.code)).to.equal('ECONNREFUSED');
          return false;
        }
      };
      // The dashboard of these tests runs with the default: this host's loopback only. On Linux all
      // of 127.0.0.0/8 is loopback, so 127.0.0.2 is "another interface" that every machine has.
      expect(dash.ready).to.include({ host: '127.0.0.1', address: '127.0.0.1', port: dash.port });
      expect(await answers('127.0.0.1', dash.port)).to.equal(true);
      expect(await answers('127.0.0.2', dash.port), 'answers on another address than 127.0.0.1').to.equal(false);

      const other = await startDashboardProcess(env, { DASHBOARD_HOST: '127.0.0.2' });
      try {
        expect(other.ready).to.include({ host: '127.0.0.2', address: '127.0.0.2', port: other.port });
        expect(other.url).to.equal(`http://127.0.0.2:${other.port}`);
        expect((await other.get('/api/loads')).status).to.equal(200);
      } finally {
        expect(await other.stop()).to.equal(0);
      }

      // Every interface, as the compose service runs it.
      const all = await startDashboardProcess(env, { DASHBOARD_HOST: '0.0.0.0' });
      try {
        expect(all.ready).to.include({ host: '0.0.0.0', address: '0.0.0.0', port: all.port });
        expect(await answers('127.0.0.1', all.port)).to.equal(true);
        expect(await answers('127.0.0.2', all.port)).to.equal(true);
      } finally {
        expect(await all.stop()).to.equal(0);
      }

      for (const host of ['0.0.0.0:3000', 'not a host']) {
        const port = String(await freePort());
        const refused = await run(
          SCRIPTS.dashboard,
          [],
          { ...env, DASHBOARD_PORT: port, DASHBOARD_HOST: host },
          30_000,
        );
        expect(refused.code, host).to.equal(2);
        expect(refused.stderr).to.include('DASHBOARD_HOST');
        expect(refused.stdout).to.equal('');
      }
    });
  });

  describe('loads: the API and the metrics after real loads', function () {
    it('lists a load that ran, with the report of `status`, its rejects by reason and its throughput', async function () {
      const file = join(dir, 'first.csv');
      const expected = await generate(file, 3000, 51);
      const worker = await startWorker(env);
      let loadId: string;
      try {
        const r = await run(SCRIPTS.enqueue, [file, '--chunk-size', '250', '--wait', '--json'], env);
        expect(r.code, r.stderr).to.equal(0);
        loadId = (JSON.parse(r.stdout) as LoadReport).loadId;
      } finally {
        await worker.stop();
      }
      const status = await run(SCRIPTS.status, [loadId, '--json'], env);
      expect(status.code, status.stderr).to.equal(0);
      first = JSON.parse(status.stdout) as LoadReport;
      const { client, db } = await openDb(env);
      let stored: Record<string, number>;
      try {
        stored = await rejectsByReason(db, loadId);
      } finally {
        await client.close();
      }

      const { loads, concurrency } = await json<{ loads: LoadView[]; concurrency: ConcurrencyView }>('/api/loads');
      expect(loads.map((l) => l.loadId)).to.deep.equal([first.loadId]);
      // The worker (GLOBAL_CONCURRENCY=auto) set the limit at 2 and adapted it to the store since.
      expect(concurrency.history[0]!.limit, 'the adaptive limit starts at 2').to.equal(2);
      expect(concurrency.limit).to.equal(concurrency.history.at(-1)!.limit);
      inFlightLimit = concurrency.limit!;
      const one = await json<LoadView>(`/api/loads/${first.loadId}`);
      expect(loads[0]).to.deep.equal(one);
      for (const [key, value] of Object.entries(first)) expect(one, key).to.have.deep.property(key, value);
      expect(one).to.include({ state: 'completed', rowsRead: 3000, rowsProcessed: 3000, rejected: expected.rejected });

      expect(one.rejectsByReason).to.deep.equal(stored);
      expect(one.rejectsByReason).to.deep.equal(expected.rejectsByReason);
      const counts = Object.values(one.rejectsByReason);
      expect(counts).to.deep.equal(
        [...counts].sort((a, b) => b - a),
        'most frequent reason first',
      );

      const t = one.throughput;
      expect(t.rowsPerSec).to.be.greaterThan(0);
      expect(t.currentRowsPerSec).to.equal(null);
      expect(t.series.length).to.be.at.least(1);
      expect(t.series.reduce((n, p) => n + p.rows, 0)).to.equal(3000);
      expect(t.series[0]!.t).to.equal(first.startedAt);
      // The series covers the load from its start to its last event, and its mean weighted by the
      // time each bucket covers is the average (each rounded to 0.1 rows/s).
      const last = t.series[t.series.length - 1]!;
      expect(Date.parse(last.t) + last.seconds * 1000).to.be.closeTo(Date.parse(first.finishedAt!), 1e-6);
      const seconds = t.series.reduce((n, p) => n + p.seconds, 0);
      expect(seconds).to.be.closeTo((Date.parse(first.finishedAt!) - Date.parse(first.startedAt)) / 1000, 1e-9);
      const mean = t.series.reduce((n, p) => n + p.rowsPerSec * p.seconds, 0) / seconds;
      expect(mean).to.be.closeTo(t.rowsPerSec!, 0.1 + 1e-9);
    });

    it('/metrics parses as Prometheus text and its counters move with a second load', async function () {
      const before = await metrics();
      expect(before.get('hcingest_rows_processed_total')).to.equal(3000);
      expect(before.get('hcingest_rows_total{outcome="rejected"}')).to.equal(first.rejected);
      expect(before.get('hcingest_rows_total{outcome="inserted"}')).to.equal(first.inserted);
      expect(before.get('hcingest_loads{state="completed"}')).to.equal(1);
      // The dashboard was running during the first load: it timed its 12 chunks.
      expect(before.get('hcingest_chunk_duration_seconds_count')).to.equal(12);
      expect(before.get('hcingest_chunk_attempts_total{result="completed"}')).to.equal(12);
      expect(before.get('hcingest_chunks_in_flight_limit')).to.equal(inFlightLimit);

      const file = join(dir, 'second.csv');
      const expected = await generate(file, 1000, 52);
      const worker = await startWorker(env);
      try {
        const r = await run(SCRIPTS.enqueue, [file, '--chunk-size', '250', '--wait', '--json'], env);
        expect(r.code, r.stderr).to.equal(0);
      } finally {
        await worker.stop();
      }
      const after = await metrics();
      expect(after.get('hcingest_rows_processed_total')).to.equal(4000);
      expect(after.get('hcingest_rows_total{outcome="rejected"}')).to.equal(first.rejected + expected.rejected);
      expect(after.get('hcingest_loads{state="completed"}')).to.equal(2);
      expect(after.get('hcingest_chunk_duration_seconds_count')).to.equal(16);
      expect(after.get('hcingest_chunk_duration_seconds_sum')).to.be.greaterThan(
        before.get('hcingest_chunk_duration_seconds_sum')!,
      );
      expect(after.get('hcingest_failed_chunks')).to.equal(0);

      const { loads } = await json<{ loads: LoadView[] }>('/api/loads');
      expect(loads).to.have.length(2);
      expect(loads[1]!.loadId, 'newest first').to.equal(first.loadId);
    });
  });

  describe('failed chunks: in the API, the metrics and bull-board', function () {
    it('shows failed chunks in the API and the metrics; bull-board shows the job without its rows', async function () {
      const file = join(dir, 'failing.csv');
      await generate(file, 1000, 53);
      // Attempts are a job option: the producer sets them.
      const failing = { ...env, JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '100' };
      const worker = await startWorker({ ...failing, FAULT_FAIL_CHUNKS: '1' });
      let report: LoadReport;
      try {
        const r = await run(SCRIPTS.enqueue, [file, '--chunk-size', '250', '--wait', '--json'], failing);
        expect(r.code, r.stderr).to.equal(1);
        report = JSON.parse(r.stdout) as LoadReport;
      } finally {
        await worker.stop();
      }
      const view = await json<LoadView>(`/api/loads/${report.loadId}`);
      expect(view.state).to.equal('failed');
      expect(view.failedChunks).to.have.length(1);
      expect(view.failedChunks[0]).to.include({ chunk: 1, attempts: 2 });

      const m = await metrics();
      expect(m.get('hcingest_failed_chunks')).to.equal(1);
      expect(m.get('hcingest_loads{state="failed"}')).to.equal(1);
      expect(m.get('hcingest_chunk_attempts_total{result="failed"}')).to.equal(1);
      expect(m.get('hcingest_chunk_attempts_total{result="retried"}')).to.equal(1);
      expect(m.get('hcingest_queue_jobs{state="failed"}')).to.equal(1);

      const q = encodeURIComponent(env.QUEUE_NAME!);
      const board = await json<{ queues: { jobs: { id: string; data: Record<string, unknown> }[] }[] }>(
        `/queues/api/queues?activeQueue=${q}&status=failed&page=1&jobsPerPage=10`,
      );
      const [job] = board.queues[0]!.jobs;
      expect(job!.data).to.include({ loadId: report.loadId, chunk: 1, records: 250 });
      expect(job!.data).to.not.have.property('text');

      // The data of a chunk job can be neither replaced nor added from the board.
      const patch = await fetch(`${dash.url}/queues/api/queues/${q}/${encodeURIComponent(job!.id)}/update-data`, {
        method: 'PATCH',
        headers: { authorization: basicHeader(DASHBOARD_CREDENTIALS), 'content-type': 'application/json' },
        body: JSON.stringify({ jobData: {} }),
      });
      expect(patch.status).to.equal(403);
      const add = await fetch(`${dash.url}/queues/api/queues/${q}/add`, {
        method: 'POST',
        headers: { authorization: basicHeader(DASHBOARD_CREDENTIALS), 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'chunk', data: {} }),
      });
      expect(add.status).to.equal(403);
    });
  });

  describe('privacy: no patient data', function () {
    it('shows no patient data: no stored name appears in any page, API answer or metric', async function () {
      const { client, db } = await openDb(env);
      let names: string[];
      try {
        names = (
          await db
            .collection('patients')
            .find({}, { projection: { Name: 1 } })
            .limit(200)
            .toArray()
        ).map((d) => d.Name as string);
      } finally {
        await client.close();
      }
      expect(names.length).to.be.greaterThan(100);
      const q = encodeURIComponent(env.QUEUE_NAME!);
      for (const path of [
        '/',
        '/assets/loads.js',
        '/api/loads',
        `/queues/api/queues?activeQueue=${q}&status=failed&page=1&jobsPerPage=50`,
        '/metrics',
        '/readyz',
      ]) {
        const body = await (await dash.get(path)).text();
        for (const name of names) expect(body, `${path} holds "${name}"`).to.not.include(name);
      }
    });
  });

  describe('read-only mode', function () {
    it('hides the queue actions with DASHBOARD_READ_ONLY=true', async function () {
      const ro = await startDashboardProcess(env, { DASHBOARD_READ_ONLY: 'true' });
      try {
        const queues = (await (await ro.get('/queues/api/queues')).json()) as { queues: { readOnlyMode: boolean }[] };
        expect(queues.queues[0]!.readOnlyMode).to.equal(true);
        const retry = await fetch(`${ro.url}/queues/api/queues/${encodeURIComponent(env.QUEUE_NAME!)}/retry/failed`, {
          method: 'PUT',
          headers: { authorization: basicHeader(DASHBOARD_CREDENTIALS) },
        });
        expect(retry.status).to.equal(405);
      } finally {
        await ro.stop();
      }
    });
  });
});
