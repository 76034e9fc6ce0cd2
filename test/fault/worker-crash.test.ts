import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadReport } from '@hcingest/shared';
import { generate } from '../harness/expectations.js';
import { expectExactLoadIn } from '../harness/loadAssertions.js';
import { isolatedEnv, run, SCRIPTS, startWorker, type WorkerProcess } from '../harness/processes.js';

describe('fault: workers killed with SIGKILL in the middle of chunks', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-crash-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('hands their chunks to other workers and ends exact', async function () {
    const file = join(dir, 'crash.csv');
    const expected = await generate(file, 20_000, 21);
    const env = isolatedEnv('crash', {
      LOCK_DURATION_MS: '2000',
      STALLED_INTERVAL_MS: '1000',
      FAULT_CHUNK_DELAY_MS: '400',
      WORKER_CONCURRENCY: '2',
    });
    const all: WorkerProcess[] = [];
    let live: WorkerProcess[] = [];
    const spawnOne = async () => {
      const w = await startWorker(env);
      all.push(w);
      live.push(w);
    };
    await Promise.all([spawnOne(), spawnOne(), spawnOne()]);

    const load = run(SCRIPTS.enqueue, [file, '--chunk-size', '500', '--wait', '--json'], env, 240_000);
    let finished = false;
    void load.finally(() => (finished = true));
    let kills = 0;
    while (!finished && kills < 8) {
      await new Promise((r) => setTimeout(r, 1500));
      if (finished) break;
      // Kill a worker that is in the middle of a chunk, then replace it.
      const busy = live.filter(
        (w) => (w.stderr().match(/"chunk started"/g) ?? []).length > (w.stderr().match(/"chunk done"/g) ?? []).length,
      );
      const victim = busy[0] ?? live[0]!;
      live = live.filter((w) => w !== victim);
      await victim.stop('SIGKILL');
      kills++;
      await spawnOne();
    }
    const r = await load;
    await Promise.all(live.map((w) => w.stop('SIGTERM')));
    expect(r.code, r.stderr).to.equal(0);
    expect(kills, 'workers were killed during the load').to.be.greaterThan(2);

    // Some chunk was started by a worker that died and then completed by another.
    const started = all.flatMap((w) =>
      [...w.stderr().matchAll(/"chunk":(\d+),"attempt":\d+,"msg":"chunk started"/g)].map((m) => m[1]),
    );
    const repeated = new Set(started.filter((c, i) => started.indexOf(c) !== i));
    expect(repeated.size, 'chunks were processed again after a kill').to.be.greaterThan(0);

    await expectExactLoadIn(env, JSON.parse(r.stdout) as LoadReport, expected, 40);
  });
});
