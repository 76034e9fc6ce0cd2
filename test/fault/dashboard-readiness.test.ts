import { expect } from 'chai';
import { parseMetrics, startDashboardProcess } from '../harness/dashboard.js';
import { isolatedEnv, waitUntil } from '../harness/processes.js';
import { currentServices } from '../harness/rootHooks.js';

describe('fault: the database is down while the dashboard runs', function () {
  it('answers /readyz 503 during the outage, stays alive and serves metrics, and recovers', async function () {
    const mongo = currentServices().mongo;
    if (!mongo) {
      console.log('      skipped: MONGO_URL points at a server this test did not start, so it cannot stop it');
      this.skip();
    }
    const dash = await startDashboardProcess(isolatedEnv('dashdown'));
    const status = async (path: string) => {
      try {
        return (await dash.get(path, null)).status;
      } catch {
        return 0;
      }
    };
    try {
      expect(await status('/readyz')).to.equal(200);
      await mongo.stop('SIGKILL');
      try {
        await waitUntil('/readyz to answer 503', async () => (await status('/readyz')) === 503, 15_000);
        const r = await dash.get('/readyz', null);
        const body = (await r.json()) as { ready: boolean; checks: Record<string, { ok: boolean }> };
        expect(body.ready).to.equal(false);
        expect(body.checks.mongodb!.ok).to.equal(false);
        expect(body.checks.redis!.ok).to.equal(true);
        expect(await status('/healthz'), 'liveness is not readiness').to.equal(200);

        const started = Date.now();
        const m = await dash.get('/metrics', null);
        expect(m.status).to.equal(200);
        expect(Date.now() - started, '/metrics is bounded during the outage').to.be.below(10_000);
        const metrics = parseMetrics(await m.text());
        expect(metrics.get('hcingest_dashboard_backend_up{backend="mongodb"}')).to.equal(0);
        expect(metrics.get('hcingest_dashboard_backend_up{backend="redis"}')).to.equal(1);
        expect(metrics.has('hcingest_queue_jobs{state="waiting"}')).to.equal(true);
        expect(dash.bg.proc.exitCode, 'dashboard still running').to.equal(null);
      } finally {
        await mongo.start();
      }
      await waitUntil('/readyz to recover', async () => (await status('/readyz')) === 200, 30_000);
      expect((await dash.get('/api/loads')).status).to.equal(200);
    } finally {
      expect(await dash.stop()).to.equal(0);
    }
  });
});
