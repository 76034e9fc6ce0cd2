import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadReport } from '@hcingest/shared';
import { generate } from '../harness/expectations.js';
import { expectExactLoadIn } from '../harness/loadAssertions.js';
import { isolatedEnv, run, SCRIPTS, startWorker, waitUntil, within } from '../harness/processes.js';

const chunksLogged = (stderr: string, msg: string) =>
  new Set([...stderr.matchAll(new RegExp(`"chunk":(\\d+),"attempt":\\d+[^\\n]*"msg":"${msg}"`, 'g'))].map((m) => m[1]));

describe('fault: SIGTERM on a busy worker', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-term-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('finishes its in-flight chunks, exits 0, and the load ends exact', async function () {
    const file = join(dir, 'term.csv');
    const expected = await generate(file, 2000, 28);
    const env = isolatedEnv('wterm', { WORKER_CONCURRENCY: '2' });
    const slow = await startWorker({ ...env, FAULT_CHUNK_DELAY_MS: '1500' });
    const r0 = await run(SCRIPTS.enqueue, [file, '--chunk-size', '200', '--json'], env);
    expect(r0.code, r0.stderr).to.equal(0);
    const { loadId } = JSON.parse(r0.stdout) as { loadId: string };
    await waitUntil('two chunks in flight', () => chunksLogged(slow.stderr(), 'chunk started').size >= 2, 30_000);
    const code = await within('the worker to stop', slow.stop('SIGTERM'), 20_000);
    expect(code).to.equal(0);
    const started = chunksLogged(slow.stderr(), 'chunk started');
    const done = chunksLogged(slow.stderr(), 'chunk done');
    expect([...done].sort(), 'every chunk it started was finished').to.deep.equal([...started].sort());
    expect(slow.stderr()).to.include('"worker stopped"');

    const rest = await startWorker(env);
    try {
      const r = await run(SCRIPTS.status, [loadId, '--wait', '--json'], env);
      expect(r.code, r.stderr).to.equal(0);
      await expectExactLoadIn(env, JSON.parse(r.stdout) as LoadReport, expected, 10);
    } finally {
      await rest.stop();
    }
  });

  it('closes after the grace period and leaves the unfinished chunk to another worker', async function () {
    const file = join(dir, 'grace.csv');
    const expected = await generate(file, 1000, 29);
    const env = isolatedEnv('wgrace', {
      WORKER_CONCURRENCY: '1',
      LOCK_DURATION_MS: '2000',
      STALLED_INTERVAL_MS: '1000',
    });
    const stuck = await startWorker({ ...env, FAULT_CHUNK_DELAY_MS: '8000', SHUTDOWN_GRACE_MS: '500' });
    const r0 = await run(SCRIPTS.enqueue, [file, '--chunk-size', '200', '--json'], env);
    const { loadId } = JSON.parse(r0.stdout) as { loadId: string };
    await waitUntil('a chunk in flight', () => chunksLogged(stuck.stderr(), 'chunk started').size >= 1, 30_000);
    const code = await within('the worker to stop after its grace period', stuck.stop('SIGTERM'), 10_000);
    expect(code).to.equal(0);
    expect(stuck.stderr()).to.include('grace period over');
    // It really stopped at the end of its grace period: the 8-second chunk never finished there.
    const log = stuck.stderr();
    expect(log.indexOf('"worker stopped"')).to.be.greaterThan(log.indexOf('grace period over'));
    expect(chunksLogged(log, 'chunk done').size, 'chunks finished by the stopped worker').to.equal(0);

    const rest = await startWorker(env);
    try {
      const r = await run(SCRIPTS.status, [loadId, '--wait', '--json'], env);
      expect(r.code, r.stderr).to.equal(0);
      await expectExactLoadIn(env, JSON.parse(r.stdout) as LoadReport, expected, 5);
    } finally {
      await rest.stop();
    }
  });
});
