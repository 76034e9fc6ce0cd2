#!/usr/bin/env node
/**
 * What a Redis Cluster costs the pipeline: the same load, end to end (producer + one worker,
 * `enqueue --wait`), with the queue on one Redis and on a local cluster of 3 masters and 3
 * replicas, alternated round by round so that the machine's noise falls on both alike. Both
 * use the same store (the harness's, or MONGO_URL). Writes bench/results/cluster-<rows>.json.
 * Usage: npm run bench:cluster -- [--rows N] [--repeat N]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { LocalRedisCluster, startServices } from '@hcingest/devstack';
import type { LoadReport } from '@hcingest/shared';
import type * as Expectations from '../../test/harness/expectations.js';
import type * as Processes from '../../test/harness/processes.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The test harness, compiled (test/dist): the expected documents, processes as the tests start them. */
const harness = <T>(name: string) =>
  import(pathToFileURL(join(ROOT, `test/dist/harness/${name}.js`)).href) as Promise<T>;
const { generate } = await harness<typeof Expectations>('expectations');
const { isolatedEnv, SCRIPTS, startProcess, startWorker } = await harness<typeof Processes>('processes');

const positive = (v: string) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
};
const opts = new Command('bench:cluster')
  .description('End-to-end rows/s with the queue on one Redis and on a local Redis Cluster (3 masters, 3 replicas).')
  .option('--rows <n>', 'rows of the generated file', positive, 30_000)
  .option('--repeat <n>', 'rounds (each: one load on each)', positive, 3)
  .parse()
  .opts<{ rows: number; repeat: number }>();

process.env.ENV_FILE = 'off';
const services = await startServices();
process.env.REDIS_URL = services.redisUrl;
process.env.MONGO_URL = services.mongoUrl;
const cluster = new LocalRedisCluster();
const dir = mkdtempSync(join(tmpdir(), 'hc-bench-cluster-'));
const results: Record<'single' | 'cluster', { rowsPerSec: number; loadMs: number }[]> = { single: [], cluster: [] };
// Ctrl-C or SIGTERM: stop the servers and the cluster this bench started, remove its files, exit 130.
let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
let load: Awaited<ReturnType<typeof startProcess>> | undefined;
const interrupted = () => {
  load?.proc.kill('SIGTERM');
  // The worker first, while its servers still answer: it then exits at once.
  void Promise.resolve(worker?.stop())
    .catch(() => undefined)
    .then(() => Promise.allSettled([cluster.stop(), services.stop()]))
    .then(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
};
process.once('SIGINT', interrupted);
process.once('SIGTERM', interrupted);
try {
  await cluster.start();
  const file = join(dir, 'bench.csv');
  await generate(file, opts.rows, 41);
  for (let round = 0; round < opts.repeat; round++) {
    for (const kind of ['single', 'cluster'] as const) {
      const onCluster = { REDIS_CLUSTER_NODES: cluster.seeds, REDIS_URL: cluster.url, QUEUE_PREFIX: '{bench}' };
      const env = isolatedEnv(`bc${kind}${round}`, {
        ...(kind === 'cluster' ? onCluster : {}),
        WORKER_CONCURRENCY: '1',
      });
      worker = await startWorker(env);
      try {
        load = await startProcess(SCRIPTS.enqueue, [file, '--wait', '--json'], env);
        const r = await load.done;
        load = undefined;
        if (r.code !== 0) throw new Error(`enqueue on ${kind} exited ${r.code}: ${r.stderr}`);
        const report = JSON.parse(r.stdout) as LoadReport;
        const loadMs = Date.parse(report.finishedAt!) - Date.parse(report.startedAt);
        results[kind].push({ loadMs, rowsPerSec: Math.round(opts.rows / (loadMs / 1000)) });
        process.stderr.write(`round ${round + 1}: ${kind} ${results[kind].at(-1)!.rowsPerSec} rows/s\n`);
      } finally {
        await worker.stop();
        worker = undefined;
      }
    }
  }
} finally {
  await cluster.stop();
  await services.stop();
  rmSync(dir, { recursive: true, force: true });
}
const best = (k: 'single' | 'cluster') => Math.max(...results[k].map((r) => r.rowsPerSec));
const summary = {
  rows: opts.rows,
  rounds: opts.repeat,
  workers: 1,
  results,
  best: { single: best('single'), cluster: best('cluster') },
  clusterOverSingle: Number((best('cluster') / best('single')).toFixed(2)),
};
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, `bench/results/cluster-${opts.rows}.json`), `${JSON.stringify(summary, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(summary)}\n`);
