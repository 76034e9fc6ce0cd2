import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { LoadDoc } from '@hcingest/shared';
import type { LoadView } from '@hcingest/ops';
import { loadDoc, seed } from '../harness/archive.js';
import {
  DASHBOARD_CREDENTIALS,
  parseMetrics,
  startDashboardProcess,
  type DashboardProcess,
} from '../harness/dashboard.js';
import { isolatedEnv } from '../harness/processes.js';
import { openDb } from '../harness/store.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Load documents of mirror loads as the archive step leaves them (hand-made), shown by the dashboard. */
describe('dashboard: a mirror load’s mode and archive step', function () {
  const env = isolatedEnv('dasharch');
  let dash: DashboardProcess;
  const refused: LoadDoc = {
    ...loadDoc('Lrefused', 3, { stage: 'refused', wouldArchive: 3072 }),
    archive: { stage: 'refused', limit: { share: 0.1 }, wouldArchive: 3072, reason: 'beyond --max-archive 10 %' },
  };

  before(async function () {
    const { client, db } = await openDb(env);
    try {
      await seed(db, {
        loads: [
          loadDoc('Lmerge', 1),
          loadDoc('Ldone', 2, { stage: 'done', archived: 512, wouldArchive: 512 }),
          refused,
        ],
      });
    } finally {
      await client.close();
    }
    dash = await startDashboardProcess(env);
  });
  after(async function () {
    await dash?.stop();
  });

  it('gives a mirror load its mode and archive step in the API, and a merge load neither', async function () {
    const r = await dash.get('/api/loads');
    expect(r.status).to.equal(200);
    const { loads } = (await r.json()) as { loads: LoadView[] };
    expect(loads.map((l) => l.loadId)).to.deep.equal(['Lrefused', 'Ldone', 'Lmerge']);
    const [l3, l2, l1] = loads;
    expect(l1).to.not.have.property('mode');
    expect(l1).to.not.have.property('archive');
    expect(l2).to.include({ mode: 'mirror', state: 'completed' });
    expect(l2!.archive).to.deep.equal({
      stage: 'done',
      limit: { share: 0.1 },
      archived: 512,
      wouldArchive: 512,
      confirmed: false,
      reason: null,
    });
    expect(l3!.archive).to.deep.include({ stage: 'refused', archived: null, wouldArchive: 3072 });
    expect(l3!.archive!.reason).to.equal('beyond --max-archive 10 %');
  });

  it('counts the documents mirror loads archived in /metrics', async function () {
    const r = await dash.get('/metrics', null);
    const m = parseMetrics(await r.text());
    expect(m.get('hcingest_archived_documents')).to.equal(512);
  });

  it('shows the mode and the archive step on the loads page', async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`      skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
      this.skip();
    }
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
    try {
      const context = await browser.newContext({
        httpCredentials: { username: DASHBOARD_CREDENTIALS.user, password: DASHBOARD_CREDENTIALS.password },
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${dash.url}/`);
      await page.locator('main#loads[data-ready="true"]').waitFor({ timeout: 10_000 });
      const done = page.locator('section.load[data-load-id="Ldone"]');
      expect(await done.locator('.load-head .mode[data-mode="mirror"]').textContent()).to.equal('mirror');
      expect(await done.locator('.archive').getAttribute('data-stage')).to.equal('done');
      expect(await done.locator('.archive-counts [data-archive="archived"] dd').textContent()).to.equal('512');
      expect(await done.locator('.archive-limit').textContent()).to.equal('limit: 10 %');
      const refusedBox = page.locator('section.load[data-load-id="Lrefused"] .archive');
      expect(await refusedBox.getAttribute('data-stage')).to.equal('refused');
      expect(await refusedBox.locator('.archive-stage').textContent()).to.include(
        '--load-id Lrefused --confirm-archive',
      );
      expect(await refusedBox.locator('[data-archive="wouldArchive"] dd').textContent()).to.equal('3,072');
      const merge = page.locator('section.load[data-load-id="Lmerge"]');
      expect(await merge.locator('.mode').count()).to.equal(0);
      expect(await merge.locator('.archive').count()).to.equal(0);
      expect(errors).to.deep.equal([]);
    } finally {
      await browser.close();
    }
  });
});
