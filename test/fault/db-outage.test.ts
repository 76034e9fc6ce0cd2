import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadReport } from '@hcingest/shared';
import { generate } from '../harness/expectations.js';
import { expectExactLoad } from '../harness/loadAssertions.js';
import {
  isolatedEnv,
  readyStatus,
  startProcess,
  SCRIPTS,
  startWorker,
  waitUntil,
  within,
} from '../harness/processes.js';
import { currentServices } from '../harness/rootHooks.js';
import { freePort } from '../harness/services.js';
import { openDb } from '../harness/store.js';

describe('fault: the database is down for ~10 s in the middle of a load', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-dbdown-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps workers up, reports not ready, retries and ends exact', async function () {
    const mongo = currentServices().mongo;
    if (!mongo) {
      console.log('      skipped: MONGO_URL points at a server this test did not start, so it cannot stop it');
      this.skip();
    }
    const file = join(dir, 'outage.csv');
    const expected = await generate(file, 10_000, 22);
    const env = isolatedEnv('dbdown', { JOB_ATTEMPTS: '30', JOB_BACKOFF_MS: '500', FAULT_CHUNK_DELAY_MS: '100' });
    const ports = [await freePort(), await freePort()];
    const workers = await Promise.all(ports.map((p) => startWorker({ ...env, WORKER_HTTP_PORT: String(p) })));
    const { client, db } = await openDb(env);
    try {
      expect(await readyStatus(ports[0]!)).to.equal(200);
      const load = await startProcess(SCRIPTS.enqueue, [file, '--chunk-size', '250', '--wait', '--json'], env);
      await waitUntil(
        'a few chunks accounted',
        async () => (await db.collection('chunk_results').countDocuments()) >= 3,
        60_000,
      );

      await mongo.stop('SIGKILL');
      const downAt = Date.now();
      await waitUntil('readiness to report the outage', async () => (await readyStatus(ports[0]!)) === 503, 15_000);
      await new Promise((r) => setTimeout(r, Math.max(0, 10_000 - (Date.now() - downAt))));
      for (const w of workers) expect(w.proc.exitCode, 'worker still running during the outage').to.equal(null);
      await mongo.start();
      await waitUntil('readiness to recover', async () => (await readyStatus(ports[0]!)) === 200, 30_000);

      const r = await within('the load to complete after the outage', load.done, 240_000);
      expect(r.code, r.stderr).to.equal(0);
      for (const w of workers) expect(w.proc.exitCode, 'worker survived the outage').to.equal(null);
      await expectExactLoad(db, JSON.parse(r.stdout) as LoadReport, expected, 40);
    } finally {
      await client.close();
      await Promise.all(workers.map((w) => w.stop()));
    }
  });
});
