import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '../harness/expectations.js';
import { isolatedEnv, run, SCRIPTS, startWorker } from '../harness/processes.js';
import { freePort } from '../harness/services.js';

/** Sample values of a Prometheus text exposition, keyed by metric name with labels. */
function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    // prom-client 15 writes NaN as "Nan" (an event-loop lag with no sample yet); Prometheus parses
    // sample values with Go's ParseFloat, which takes NaN in any case.
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (-?[0-9.eE+-]+|nan|\+Inf|-Inf)$/i.exec(line);
    if (!m) throw new Error(`not Prometheus text: ${line}`);
    out.set(m[1]!, /^nan$/i.test(m[2]!) ? NaN : Number(m[2]));
  }
  return out;
}

describe('worker HTTP endpoints', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-whttp-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('serves /healthz, /readyz and Prometheus /metrics whose counters move during a load', async function () {
    const file = join(dir, 'm.csv');
    const expected = await generate(file, 1000, 41);
    const port = await freePort();
    const env = isolatedEnv('whttp');
    const worker = await startWorker({ ...env, WORKER_HTTP_PORT: String(port) });
    const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`);
    try {
      expect((await get('/healthz')).status).to.equal(200);
      const ready = await get('/readyz');
      expect(ready.status).to.equal(200);
      expect(await ready.json()).to.deep.include({ ready: true });
      expect((await get('/nope')).status).to.equal(404);

      const before = parseMetrics(await (await get('/metrics')).text());
      expect(before.has('nodejs_eventloop_lag_seconds'), 'event-loop lag').to.equal(true);
      expect(before.get('hcingest_worker_chunk_duration_seconds_count') ?? 0).to.equal(0);

      const r = await run(SCRIPTS.enqueue, [file, '--chunk-size', '250', '--wait', '--json'], env);
      expect(r.code, r.stderr).to.equal(0);
      const after = parseMetrics(await (await get('/metrics')).text());
      expect(after.get('hcingest_worker_rows_total{outcome="inserted"}')).to.equal(expected.documents);
      expect(after.get('hcingest_worker_rows_total{outcome="rejected"}')).to.equal(expected.rejected);
      expect(after.get('hcingest_worker_chunk_duration_seconds_count')).to.equal(4);
      expect(after.get('hcingest_worker_chunks_total{result="accounted"}')).to.equal(4);
    } finally {
      await worker.stop();
    }
  });
});
