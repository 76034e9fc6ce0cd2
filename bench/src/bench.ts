#!/usr/bin/env node
/**
 * npm run bench -- [--rows N] [--workers 1,2,4] [--quick] [--json]
 *
 * Measures, in one run on the real services and the same generated file: csv-parser alone
 * (parseOnly), the producer alone (enqueue), the project's write path without a queue
 * (directUpsert), the seed's pandas + pymongo approach (seedBaseline) and the whole pipeline
 * with N worker processes (endToEnd). Ratios between them are what this machine can tell.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command } from 'commander';
import csvParser from 'csv-parser';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { loadConfig } from '@hcingest/shared/config';
import { RecordSplitter } from '@hcingest/shared/csv/recordSplitter';
import { createOrResumeLoad, markEnqueued } from '@hcingest/shared/load/loadStore';
import { createLogger } from '@hcingest/shared/logger';
import { connectStore, ensureIndexes } from '@hcingest/shared/store/collections';
import { ChunkBuilder, type Chunk } from '@hcingest/producer/chunkBuilder';
import { writeDataset } from '@hcingest/producer/generate/writeDataset';
import { processChunk } from '@hcingest/worker/processChunk';
import pLimit from 'p-limit';
import type * as Harness from '../../test/harness/services.js';
import { renderChart } from './chart.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RESULTS = join(ROOT, 'bench', 'results');
const SCRIPTS = { enqueue: join(ROOT, 'producer/dist/cli/enqueue.js'), worker: join(ROOT, 'worker/dist/main.js') };

const program = new Command('bench')
  .description('Measures the pipeline against its ceilings and the seed approach, in one run, on the real services.')
  .option('--rows <n>', 'rows of the generated file (default 200000; --quick 55500)')
  .option('--workers <list>', 'worker process counts for endToEnd', '1,2,4')
  .option('--quick', 'a shorter run: 55,500 rows')
  .option('--json', 'print only the result as one JSON document')
  .option('--skip-baseline', 'do not run the Python seed baseline')
  .showHelpAfterError()
  .parse();
const o = program.opts<{ rows?: string; workers: string; quick?: boolean; json?: boolean; skipBaseline?: boolean }>();
const rows = o.rows ? Number(o.rows) : o.quick ? 55_500 : 200_000;
const workerCounts = o.workers.split(',').map(Number);
if (!Number.isInteger(rows) || rows < 1 || workerCounts.some((n) => !Number.isInteger(n) || n < 1)) {
  program.error('--rows and --workers take positive integers');
}
const say = (msg: string) => {
  if (!o.json) process.stderr.write(`${msg}\n`);
};
const perSec = (n: number, ms: number) => Math.round(n / (ms / 1000));

async function parseOnly(file: string): Promise<number> {
  const t0 = performance.now();
  let n = 0;
  for await (const _row of createReadStream(file).pipe(csvParser()) as AsyncIterable<unknown>) n++;
  return perSec(n, performance.now() - t0);
}

/** Peak of a sampled value while `during` runs. */
async function sampleMax(sample: () => Promise<number>, during: Promise<unknown>, everyMs = 25): Promise<number> {
  let max = 0;
  let running = true;
  void during.finally(() => (running = false));
  while (running) {
    max = Math.max(max, await sample().catch(() => 0));
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return Math.max(max, await sample().catch(() => 0));
}

function runNode(script: string, args: string[], env: NodeJS.ProcessEnv): { done: Promise<number>; pid: number } {
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<number>((resolve, reject) =>
    child.on('close', (code) =>
      code === 0 ? resolve(0) : reject(new Error(`${script} exited ${code}: ${stderr.slice(-2000)}`)),
    ),
  );
  return { done, pid: child.pid! };
}

const rssHighWater = (pid: number) => async () => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
};

async function redisUsedMemory(redis: Redis): Promise<number> {
  return Number(/^used_memory:(\d+)/m.exec(await redis.info('memory'))![1]);
}

async function enqueueAlone(file: string, env: NodeJS.ProcessEnv, redisUrl: string) {
  // A consumer that discards jobs, so the producer runs under its normal backpressure.
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const drain = new Worker(env.QUEUE_NAME!, async () => undefined, { connection, concurrency: 16 });
  const probe = new Redis(redisUrl);
  const base = await redisUsedMemory(probe);
  try {
    const t0 = performance.now();
    const producer = runNode(SCRIPTS.enqueue, [file], env);
    const [rss, redisPeak] = await Promise.all([
      sampleMax(rssHighWater(producer.pid), producer.done),
      sampleMax(() => redisUsedMemory(probe), producer.done),
      producer.done,
    ]);
    return {
      rowsPerSec: perSec(rows, performance.now() - t0),
      peakRssMB: +(rss / 2 ** 20).toFixed(1),
      redisPeakMB: +((redisPeak - base) / 2 ** 20).toFixed(1),
    };
  } finally {
    await drain.close();
    connection.disconnect();
    probe.disconnect();
  }
}

async function directUpsert(file: string, env: NodeJS.ProcessEnv) {
  const config = loadConfig({ ...process.env, ...env });
  const store = await connectStore(config, 'bench-direct');
  const log = createLogger('bench', 'silent');
  try {
    await ensureIndexes(store);
    const loadId = 'direct';
    await createOrResumeLoad(store, {
      loadId,
      file: { name: 'bench.csv', bytes: 0, sha256: 'direct' },
      chunkSize: config.CHUNK_SIZE,
    });
    const builder = new ChunkBuilder(config.CHUNK_SIZE);
    let header: string[] | undefined;
    const splitter = new RecordSplitter((bytes, line) => {
      if (!header) header = bytes.toString('utf8').split(',');
      else builder.add(bytes, line);
    });
    const t0 = performance.now();
    const limit = pLimit(config.WORKER_CONCURRENCY);
    const pending: Promise<unknown>[] = [];
    const submit = (c: Chunk) =>
      pending.push(
        limit(() =>
          processChunk(
            store,
            config,
            { loadId, chunk: c.index, firstRow: c.firstRow, header: header!, text: c.text, lines: c.lines },
            log,
          ),
        ),
      );
    for await (const piece of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      splitter.push(piece);
      builder.takeFull().forEach(submit);
    }
    splitter.end();
    builder.takeAll().forEach(submit);
    await Promise.all(pending);
    await markEnqueued(store, loadId, builder.chunks, builder.rows);
    return { rowsPerSec: perSec(rows, performance.now() - t0) };
  } finally {
    await store.client.close();
  }
}

function seedBaseline(file: string, mongoUrl: string, dbName: string) {
  const venv = join(process.env.XDG_CACHE_HOME ?? join(process.env.HOME ?? tmpdir(), '.cache'), 'hcingest-bench-venv');
  const python = join(venv, 'bin', 'python');
  if (!existsSync(python)) {
    say(`installing pandas and pymongo into ${venv}`);
    const mk = spawnSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    if (mk.status !== 0) throw new Error('python3 -m venv failed');
    const pip = spawnSync(join(venv, 'bin', 'pip'), ['install', '-q', 'pandas==2.*', 'pymongo==4.*'], {
      stdio: 'inherit',
    });
    if (pip.status !== 0) throw new Error('pip install pandas pymongo failed');
  }
  const r = spawnSync(python, [join(ROOT, 'bench', 'seed_baseline.py'), file, mongoUrl, dbName], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`seed baseline failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { rows: number; seconds: number };
  return { rowsPerSec: Math.round(out.rows / out.seconds) };
}

async function endToEnd(file: string, env: NodeJS.ProcessEnv, workers: number) {
  const procs = Array.from({ length: workers }, () => {
    const child = spawn(process.execPath, [SCRIPTS.worker], {
      env: { ...process.env, ...env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const ready = new Promise<void>((resolve, reject) => {
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        if (err.includes('"worker ready"')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`worker exited ${code}: ${err.slice(-1000)}`)));
    });
    return { child, ready };
  });
  try {
    await Promise.all(procs.map((p) => p.ready));
    const t0 = performance.now();
    await runNode(SCRIPTS.enqueue, [file, '--wait'], env).done;
    return { workers, rowsPerSec: perSec(rows, performance.now() - t0) };
  } finally {
    await Promise.all(
      procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.child.exitCode !== null) return resolve();
            p.child.once('exit', () => resolve());
            p.child.kill('SIGTERM');
          }),
      ),
    );
  }
}

async function main() {
  const harness = (await import(pathToFileURL(join(ROOT, 'test/dist/harness/services.js')).href)) as typeof Harness;
  const services = await harness.startServices();
  const dir = mkdtempSync(join(tmpdir(), 'hc-bench-'));
  const tag = Date.now().toString(36);
  const envFor = (name: string): NodeJS.ProcessEnv => ({
    REDIS_URL: services.redisUrl,
    MONGO_URL: services.mongoUrl,
    DB_NAME: `bench_${tag}_${name}`,
    QUEUE_NAME: `bench_${tag}_${name}`,
    LOG_LEVEL: 'warn',
    WORKER_HTTP_PORT: '0',
  });
  const dropAll = async () => {
    const c = new MongoClient(services.mongoUrl);
    try {
      const { databases } = await c.db('admin').admin().listDatabases();
      for (const d of databases) if (d.name.startsWith(`bench_${tag}`)) await c.db(d.name).dropDatabase();
    } finally {
      await c.close();
    }
  };
  try {
    const file = join(dir, 'bench.csv');
    say(`generating ${rows} rows`);
    // No invalid rows: the seed's pandas reader stops at the first row with a wrong field count.
    await writeDataset(file, { rows, seed: 7, invalidRate: 0 });
    say('parseOnly');
    const parse = await parseOnly(file);
    say('enqueue');
    const enqueue = await enqueueAlone(file, envFor('enqueue'), services.redisUrl);
    say('directUpsert');
    const direct = await directUpsert(file, envFor('direct'));
    let baseline: { rowsPerSec: number } | null = null;
    if (!o.skipBaseline) {
      say('seedBaseline');
      baseline = seedBaseline(file, services.mongoUrl, `bench_${tag}_seed`);
    }
    const e2e: { workers: number; rowsPerSec: number }[] = [];
    for (const n of workerCounts) {
      say(`endToEnd with ${n} worker(s)`);
      e2e.push(await endToEnd(file, envFor(`e2e${n}`), n));
    }
    const best = Math.max(...e2e.map((e) => e.rowsPerSec));
    const result = {
      rows,
      parseOnly: { rowsPerSec: parse },
      enqueue,
      directUpsert: direct,
      seedBaseline: baseline ?? { rowsPerSec: null },
      endToEnd: e2e,
      ratios: {
        enqueueOverParse: +(enqueue.rowsPerSec / parse).toFixed(2),
        bestEndToEndOverDirect: +(best / direct.rowsPerSec).toFixed(2),
        bestEndToEndOverSeed: baseline ? +(best / baseline.rowsPerSec).toFixed(2) : null,
      },
      machine: {
        cpus: (await import('node:os')).cpus().length,
        node: process.version,
        store: services.mongoUrl.includes('127.0.0.1') ? 'local' : 'remote',
      },
      at: new Date().toISOString(),
    };
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, `bench-${rows}.json`), `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(join(RESULTS, `endToEnd-${rows}.svg`), renderChart(result));
    if (o.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      const lines = [
        `rows                 ${rows}`,
        `parseOnly            ${parse} rows/s`,
        `enqueue              ${enqueue.rowsPerSec} rows/s  peak RSS ${enqueue.peakRssMB} MB  Redis peak +${enqueue.redisPeakMB} MB`,
        `directUpsert         ${direct.rowsPerSec} rows/s`,
        `seedBaseline         ${baseline?.rowsPerSec ?? 'skipped'} rows/s`,
        ...e2e.map((e) => `endToEnd ${String(e.workers).padEnd(2)} workers  ${e.rowsPerSec} rows/s`),
        `ratios               ${JSON.stringify(result.ratios)}`,
        `chart                bench/results/endToEnd-${rows}.svg`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }
  } finally {
    await dropAll().catch(() => undefined);
    await services.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
