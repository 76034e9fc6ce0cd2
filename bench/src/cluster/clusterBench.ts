/**
 * What a Redis Cluster costs the pipeline: the same load, end to end (producer + one worker,
 * `enqueue --wait`), with the queue on one Redis and on a local cluster of 3 masters and 3
 * replicas, alternated round by round so that the machine's noise falls on both alike. Both use
 * the same store (the bench's, or MONGO_URL). Writes bench/results/cluster-<rows>.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDataset } from '@hcingest/generator';
import { LocalRedisCluster, startServices, type Services } from '@hcingest/devstack';
import { RESULTS } from '../paths.js';
import { Children } from '../processes/children.js';
import { loadEnv } from './loadEnv.js';
import { timedLoad, type LoadTime } from './timedLoad.js';

export interface ClusterBenchOptions {
  rows: number;
  /** rounds (each: one load on each) */
  repeat: number;
}

type Kind = 'single' | 'cluster';
type Results = Record<Kind, LoadTime[]>;

/** Ctrl-C or SIGTERM: stop the processes, the servers and the cluster this bench started, remove its files, exit 130. */
function stopOnSignal(children: Children, stoppers: (() => Promise<void>)[], dir: string): void {
  const interrupted = () => {
    // The worker first, while its servers still answer: it then exits at once.
    void children
      .stop('SIGTERM')
      .catch(() => undefined)
      .then(() => Promise.allSettled(stoppers.map((stop) => stop())))
      .then(() => {
        rmSync(dir, { recursive: true, force: true });
        process.exit(130);
      });
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
}

/** The loads, round by round: one on the single Redis, one on the cluster. */
async function rounds(
  o: ClusterBenchOptions,
  file: string,
  mongoUrl: string,
  cluster: LocalRedisCluster,
  children: Children,
) {
  const results: Results = { single: [], cluster: [] };
  for (let round = 0; round < o.repeat; round++) {
    for (const kind of ['single', 'cluster'] as const) {
      const onCluster = { REDIS_CLUSTER_NODES: cluster.seeds, REDIS_URL: cluster.url, QUEUE_PREFIX: '{bench}' };
      const env = loadEnv(`bc${kind}${round}`, mongoUrl, {
        ...(kind === 'cluster' ? onCluster : {}),
        WORKER_CONCURRENCY: '1',
      });
      results[kind].push(await timedLoad(children, { file, rows: o.rows, env, on: kind }));
      process.stderr.write(`round ${round + 1}: ${kind} ${results[kind].at(-1)!.rowsPerSec} rows/s\n`);
    }
  }
  return results;
}

/** The results document: every load, the best of each, and their ratio. */
function summary(o: ClusterBenchOptions, results: Results) {
  const best = (k: Kind) => Math.max(...results[k].map((r) => r.rowsPerSec));
  return {
    rows: o.rows,
    rounds: o.repeat,
    workers: 1,
    results,
    best: { single: best('single'), cluster: best('cluster') },
    clusterOverSingle: Number((best('cluster') / best('single')).toFixed(2)),
  };
}

/** Starts the servers and the cluster, runs the rounds, writes and prints the summary. */
export async function runClusterBench(o: ClusterBenchOptions): Promise<void> {
  process.env.ENV_FILE = 'off';
  const services: Services = await startServices();
  process.env.REDIS_URL = services.redisUrl;
  process.env.MONGO_URL = services.mongoUrl;
  const cluster = new LocalRedisCluster();
  const dir = mkdtempSync(join(tmpdir(), 'hc-bench-cluster-'));
  const children = new Children();
  stopOnSignal(children, [() => cluster.stop(), () => services.stop()], dir);
  let results: Results;
  try {
    await cluster.start();
    const file = join(dir, 'bench.csv');
    await writeDataset(file, { rows: o.rows, seed: 41 }, `${file}.expected.json`);
    results = await rounds(o, file, services.mongoUrl, cluster, children);
  } finally {
    await cluster.stop();
    await services.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const result = summary(o, results);
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, `cluster-${o.rows}.json`), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
