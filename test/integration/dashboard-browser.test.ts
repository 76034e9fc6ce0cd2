import { expect } from 'chai';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { LoadReport } from '@hcingest/shared';
import type { LoadView } from '@hcingest/ops';
import { DASHBOARD_CREDENTIALS, startDashboardProcess, type DashboardProcess } from '../harness/dashboard.js';
import { generate } from '../harness/expectations.js';
import { isolatedEnv, ROOT, run, SCRIPTS, startProcess, startWorker, waitUntil, within } from '../harness/processes.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = join(ROOT, 'test-output', 'dashboard.png');
const DOCS_SCREENSHOT = join(ROOT, 'docs', 'dashboard.png');

const digits = (text: string | null) => Number((text ?? '').replace(/[^0-9]/g, ''));

describe('dashboard: the loads page in a real browser (headless Chromium)', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-dashui-'));
  const env = isolatedEnv('dashui');
  let dash: DashboardProcess | undefined;
  let browser: Browser | undefined;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`      skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
      this.skip();
    }
    dash = await startDashboardProcess(env);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  });
  after(async function () {
    await browser?.close();
    await dash?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks for credentials: none or wrong ones get no page', async function () {
    for (const httpCredentials of [undefined, { username: DASHBOARD_CREDENTIALS.user, password: 'wrong' }]) {
      const context = await browser!.newContext(httpCredentials ? { httpCredentials } : {});
      try {
        // Headless Chromium turns the 401 challenge it cannot answer into a navigation error.
        const status = await (await context.newPage()).goto(`${dash!.url}/`).then(
          (response) => response?.status(),
          (err: Error) => err.message,
        );
        expect(String(status)).to.match(/^401$|ERR_INVALID_AUTH_CREDENTIALS/);
      } finally {
        await context.close();
      }
    }
  });

  it('shows a running load live: progress bar, counts, throughput chart; then its completion', async function () {
    // A completed load first (rejects by reason), then a slow one to watch while it runs.
    const done = join(dir, 'done.csv');
    const doneExpected = await generate(done, 1500, 61);
    const fast = await startWorker(env);
    let doneReport: LoadReport;
    try {
      const r = await run(SCRIPTS.enqueue, [done, '--chunk-size', '250', '--wait', '--json'], env);
      expect(r.code, r.stderr).to.equal(0);
      doneReport = JSON.parse(r.stdout) as LoadReport;
    } finally {
      await fast.stop();
    }

    const file = join(dir, 'running.csv');
    await generate(file, 6000, 62);
    const slow = await startWorker({ ...env, FAULT_CHUNK_DELAY_MS: '300', WORKER_CONCURRENCY: '2' });
    // 30 chunks of at least 0.3 s, two at a time: at least 4.5 s, so the page (refreshed every 2 s)
    // sees the load running. The whole file is enqueued at once, so the rows to read are known early.
    const load = await startProcess(SCRIPTS.enqueue, [file, '--chunk-size', '200', '--wait', '--json'], {
      ...env,
      QUEUE_MAX_PENDING: '1000',
    });
    const context = await browser!.newContext({
      httpCredentials: { username: DASHBOARD_CREDENTIALS.user, password: DASHBOARD_CREDENTIALS.password },
      viewport: { width: 1280, height: 900 },
    });
    const errors: string[] = [];
    try {
      const running = (await waitUntil(
        'the slow load to be enqueued and under way',
        async () => {
          const r = await dash!.get('/api/loads');
          const { loads } = (await r.json()) as { loads: LoadView[] };
          const l = loads.find((x) => x.loadId !== doneReport.loadId);
          return l && l.state === 'running' && l.rowsRead !== null && l.rowsProcessed > 0 ? l : undefined;
        },
        60_000,
      ))!;
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.goto(`${dash!.url}/`);

      const section = page.locator(`section.load[data-load-id="${running.loadId}"]`);
      await section.waitFor({ timeout: 10_000 });
      expect(await section.getAttribute('data-state')).to.equal('running');
      expect(await page.locator('section.load').count()).to.equal(2);
      expect(await page.locator('section.load').first().getAttribute('data-load-id'), 'newest first').to.equal(
        running.loadId,
      );

      // Progress bar: determinate, between 0 and 100 %, and moving without a reload (live refresh).
      const bar = section.locator('.progress-bar[role="progressbar"]');
      expect(await bar.getAttribute('data-total')).to.equal('6000');
      const firstValue = Number(await bar.getAttribute('aria-valuenow'));
      expect(firstValue).to.be.within(0, 99);
      const processed = section.locator('.counts [data-count="rowsProcessed"] dd');
      const before = digits(await processed.textContent());
      await waitUntil(
        'the page to show more rows processed without a reload',
        async () => digits(await processed.textContent()) > before,
        20_000,
        200,
      );
      expect(digits(await section.locator('.counts [data-count="rowsRead"] dd').textContent())).to.equal(6000);
      const fill = await section
        .locator('.progress-fill')
        .evaluate((n) => (n as unknown as { style: { width: string } }).style.width);
      expect(fill).to.match(/^\d+(\.\d+)?%$/);

      // Throughput and its chart: a series path and at least one data point.
      expect(
        Number(await section.locator('.throughput [data-rows-per-sec]').getAttribute('data-rows-per-sec')),
      ).to.be.greaterThan(0);
      const chart = section.locator('svg.throughput-chart');
      await waitUntil(
        'the chart to have points',
        async () => Number(await chart.getAttribute('data-points')) >= 1,
        10_000,
      );
      expect(await chart.locator('path.series').getAttribute('d')).to.match(/^M[\d.]+ [\d.]+/);
      expect(await chart.locator('circle.point').count()).to.be.at.least(1);

      // The chunks-in-flight limit across all workers, and its changes as a step chart.
      const limitBox = page.locator('#concurrency');
      await waitUntil(
        'the limit to be shown',
        async () => (await limitBox.getAttribute('data-limit')) !== null,
        10_000,
      );
      const shownLimit = Number(await limitBox.getAttribute('data-limit'));
      expect(shownLimit).to.be.within(1, 64);
      const changes = await limitBox
        .locator('svg.limit-chart circle.change')
        .evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('data-limit'))));
      expect(changes[0], 'starts at 2').to.equal(2);
      expect(await limitBox.locator('svg.limit-chart path.series').getAttribute('d')).to.match(/^M[\d.]+ [\d.]+/);

      // The completed load: full bar and its rejects by reason.
      const old = page.locator(`section.load[data-load-id="${doneReport.loadId}"]`);
      expect(await old.getAttribute('data-state')).to.equal('completed');
      expect(await old.locator('.progress-bar').getAttribute('aria-valuenow')).to.equal('100');
      expect(await old.locator('.rejects [data-reason]').count()).to.equal(
        Object.keys(doneExpected.rejectsByReason).length,
      );
      const reason = Object.keys(doneExpected.rejectsByReason)[0]!;
      expect(digits(await old.locator(`.rejects [data-reason="${reason}"] .n`).textContent())).to.equal(
        doneExpected.rejectsByReason[reason],
      );
      // Its chart says what the average beside it says: the points weighted by the time they
      // cover average to it (each rounded to 0.1), and the time axis ends with the load.
      const average = Number(await old.locator('.throughput [data-rows-per-sec]').getAttribute('data-rows-per-sec'));
      const points = await old
        .locator('svg.throughput-chart circle.point')
        .evaluateAll((circles) =>
          circles.map((c) => [Number(c.getAttribute('data-seconds')), Number(c.getAttribute('data-rows-per-sec'))]),
        );
      const covered = points.reduce((n, [sec]) => n + sec!, 0);
      expect(covered).to.be.closeTo(
        (Date.parse(doneReport.finishedAt!) - Date.parse(doneReport.startedAt)) / 1000,
        1e-9,
      );
      expect(points.reduce((n, [sec, rate]) => n + sec! * rate!, 0) / covered).to.be.closeTo(average, 0.1 + 1e-9);
      expect(Number(await old.locator('svg.throughput-chart line.average').getAttribute('data-rows-per-sec'))).to.equal(
        average,
      );
      expect(await old.locator('svg.throughput-chart [data-end]').getAttribute('data-end')).to.equal(
        doneReport.finishedAt,
      );

      // Screenshot a little further in, so the chart has a few points.
      await waitUntil(
        'the load to be 30 % through',
        async () => Number(await bar.getAttribute('aria-valuenow')) >= 30,
        60_000,
        200,
      );
      expect(await section.getAttribute('data-state')).to.equal('running');
      mkdirSync(join(ROOT, 'test-output'), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      // The screenshot of docs/dashboard.md is refreshed on request only, so test runs leave the tree clean.
      if (process.env.UPDATE_DOCS_SCREENSHOT === '1') {
        mkdirSync(join(ROOT, 'docs'), { recursive: true });
        copyFileSync(SCREENSHOT, DOCS_SCREENSHOT);
      }
      console.log(`      screenshot: ${SCREENSHOT}`);

      const r = await within('the slow load to complete', load.done, 120_000);
      expect(r.code, r.stderr).to.equal(0);
      await waitUntil(
        'the page to show the load completed',
        async () => (await section.getAttribute('data-state')) === 'completed',
        10_000,
        200,
      );
      expect(await bar.getAttribute('aria-valuenow')).to.equal('100');
      expect(digits(await processed.textContent())).to.equal(6000);
      expect(await page.locator('#refresh-status').getAttribute('data-ok')).to.equal('true');
      expect(errors, 'no script or loading errors').to.deep.equal([]);
    } finally {
      await context.close();
      await slow.stop();
      load.proc.kill();
    }
  });

  /** The loads the API lists now, newest first. */
  async function listedLoads(): Promise<string[]> {
    const { loads } = (await (await dash!.get('/api/loads')).json()) as { loads: LoadView[] };
    return loads.map((l) => l.loadId);
  }

  /** A small completed load, so that a page has something to show when this test runs alone. */
  async function ensureALoad(): Promise<void> {
    if ((await listedLoads()).length > 0) return;
    const file = join(dir, 'small.csv');
    await generate(file, 500, 63);
    const worker = await startWorker(env);
    try {
      const r = await run(SCRIPTS.enqueue, [file, '--chunk-size', '250', '--wait', '--json'], env);
      expect(r.code, r.stderr).to.equal(0);
    } finally {
      await worker.stop();
    }
  }

  it('shows the loads when opened with the credentials in the URL (http://user:password@host/)', async function () {
    await ensureALoad();
    const expected = await listedLoads();
    // No httpCredentials: the browser gets them from the URL only.
    const context = await browser!.newContext();
    const errors: string[] = [];
    try {
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      const { user, password } = DASHBOARD_CREDENTIALS;
      const url = new URL(`${dash!.url}/`);
      url.username = encodeURIComponent(user);
      url.password = encodeURIComponent(password);
      expect(url.href).to.match(/^http:\/\/[^/@]+:[^/@]+@127\.0\.0\.1:\d+\/$/);
      const response = await page.goto(url.href);
      expect(response?.status()).to.equal(200);

      await page.locator('#refresh-status[data-ok]').waitFor({ timeout: 15_000 });
      expect(
        await page.locator('#refresh-status').getAttribute('data-ok'),
        (await page.locator('#refresh-status').textContent()) ?? '',
      ).to.equal('true');
      await page.locator('main#loads[data-ready="true"]').waitFor({ timeout: 10_000 });
      const shown = await page
        .locator('section.load')
        .evaluateAll((sections) => sections.map((n) => n.getAttribute('data-load-id')));
      expect(shown).to.deep.equal(expected);
      expect(shown.length).to.be.at.least(1);
      expect(await page.locator('section.load .progress-bar').first().getAttribute('aria-valuenow')).to.equal('100');
      expect(errors, 'no script or loading errors').to.deep.equal([]);
    } finally {
      await context.close();
    }
  });

  it('bull-board (/queues) loads nothing from another host than the dashboard', async function () {
    await ensureALoad();
    const context = await browser!.newContext({
      httpCredentials: { username: DASHBOARD_CREDENTIALS.user, password: DASHBOARD_CREDENTIALS.password },
    });
    const own = new URL(dash!.url).host;
    const requests: string[] = [];
    const errors: string[] = [];
    // Every request the board makes is recorded; any to another host is refused here, so the
    // test never depends on (or waits for) the network.
    await context.route('**/*', (route) =>
      new URL(route.request().url()).host === own ? route.continue() : route.abort('blockedbyclient'),
    );
    context.on('request', (r) => requests.push(r.url()));
    try {
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('requestfailed', (r) => errors.push(`${r.url()}: ${r.failure()?.errorText}`));
      await page.goto(`${dash!.url}/queues`, { waitUntil: 'networkidle' });
      // The board rendered the queue (its display name, from its API); then the queue's own page,
      // which loads more of the board's scripts.
      await page.getByText('chunks', { exact: false }).first().waitFor({ timeout: 20_000 });
      await page.goto(`${dash!.url}/queues/queue/${encodeURIComponent(env.QUEUE_NAME!)}?status=completed`, {
        waitUntil: 'networkidle',
      });
      await page.getByText(env.QUEUE_NAME!).first().waitFor({ timeout: 20_000 });

      const elsewhere = requests.filter((u) => !/^(data|blob):/.test(u) && new URL(u).host !== own);
      expect(elsewhere, 'requests to other hosts').to.deep.equal([]);
      expect(requests.some((u) => u.includes('/queues/static/'))).to.equal(true);
      expect(requests.some((u) => u.includes('/queues/api/queues'))).to.equal(true);
      expect(errors, 'no script, loading or CSP errors').to.deep.equal([]);
    } finally {
      await context.close();
    }
  });
});
