#!/usr/bin/env node
/**
 * npm run bench -- [--rows N] [--workers 1,2,4] [--quick] [--json]
 *
 * Measures, in one run on the real services and the same generated file: csv-parser alone
 * (parseOnly), the producer alone (enqueue), the project's write path without a queue
 * (directUpsert), the seed's pandas + pymongo approach (seedBaseline), the whole pipeline with
 * N worker processes (endToEnd) and the same file loaded again (reload). Ratios between them
 * are what this machine can tell; each target is printed with its ratio.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import csvParser from 'csv-parser';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import {
  loadConfig,
  createOrResumeLoad,
  markEnqueued,
  createLogger,
  connectStore,
  ensureIndexes,
  ensureQueryIndexes,
  PATIENT_QUERY_INDEXES,
  readReport,
  type Store,
} from '@hcingest/shared';
import { PRODUCER_NODE_FLAGS, producerSchema } from '@hcingest/producer';
import { ChunkStream } from '@hcingest/shared';
import { writeDataset } from '@hcingest/generator';
import { processChunk, workerSchema } from '@hcingest/worker';
import { startServices } from '@hcingest/devstack';
import pLimit from 'p-limit';
import { renderChart } from './chart.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RESULTS = join(ROOT, 'bench', 'results');
const SCRIPTS = {
  enqueue: join(ROOT, 'producer/dist/cli/enqueue.js'),
  worker: join(ROOT, 'worker/dist/cli/worker.js'),
};

const STAGES = ['parseOnly', 'enqueue', 'directUpsert', 'seedBaseline', 'endToEnd', 'reload'] as const;
type Stage = (typeof STAGES)[number];

const program = new Command('bench')
  .description('Measures the pipeline against its ceilings and the seed approach, in one run, on the real services.')
  .option('--rows <n>', 'rows of the generated file (default 200000; --quick 55500)')
  .option('--workers <list>', 'worker process counts for endToEnd', '1,2,4,8')
  .option('--quick', 'a shorter run: 55,500 rows')
  .option('--json', 'print only the result as one JSON document')
  .option('--skip-baseline', 'do not run the Python seed baseline')
  .option(
    '--repeat <n>',
    'run each store-bound measure n times and keep the best (the test store stalls at random)',
    '1',
  )
  .option(
    '--only <stages>',
    `run only these stages (comma-separated: ${STAGES.join(', ')}); the others are reported as null`,
  )
  .showHelpAfterError()
  .parse();
const o = program.opts<{
  rows?: string;
  workers: string;
  quick?: boolean;
  json?: boolean;
  skipBaseline?: boolean;
  only?: string;
  repeat: string;
}>();
const rows = o.rows ? Number(o.rows) : o.quick ? 55_500 : 200_000;
const workerCounts = o.workers.split(',').map(Number);
const repeat = Number(o.repeat);
if ([rows, repeat, ...workerCounts].some((n) => !Number.isInteger(n) || n < 1)) {
  program.error('--rows, --workers and --repeat take positive integers');
}

/** Runs `fn` `repeat` times (each with its own attempt number, for fresh databases); keeps the best. */
async function bestOf<T extends { rowsPerSec: number }>(fn: (attempt: number) => Promise<T>): Promise<T> {
  let best: T | undefined;
  for (let attempt = 1; attempt <= repeat; attempt++) {
    const r = await fn(attempt);
    if (!best || r.rowsPerSec > best.rowsPerSec) best = r;
  }
  return best!;
}
const only = o.only?.split(',').map((x) => x.trim());
const unknown = only?.filter((x) => !(STAGES as readonly string[]).includes(x)) ?? [];
if (unknown.length > 0) program.error(`--only: unknown stage(s) ${unknown.join(', ')}; stages: ${STAGES.join(', ')}`);
const runs = (stage: Stage) => (only ? only.includes(stage) : stage !== 'seedBaseline' || !o.skipBaseline);
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

/** The producer and worker processes running now: stopped with the servers on Ctrl-C or SIGTERM. */
const children = new Set<ChildProcess>();

/** Remembers a process the bench started until it exits. */
function tracked<T extends ChildProcess>(child: T): T {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Runs the producer as `npm run enqueue` does (same node flags); resolves with its stdout. */
function runProducer(args: string[], env: NodeJS.ProcessEnv): { done: Promise<string>; pid: number } {
  const child = tracked(
    spawn(process.execPath, [...PRODUCER_NODE_FLAGS, SCRIPTS.enqueue, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<string>((resolve, reject) =>
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`enqueue exited ${code}: ${stderr.slice(-2000)}`)),
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
  // Consumers that cost the producer's machine nothing: waiting jobs are deleted inside Redis
  // (no job data travels), so the producer runs under its normal backpressure, alone.
  const config = loadConfig({ ...process.env, ...env });
  const queue = new Queue(config.QUEUE_NAME, { connection, prefix: config.QUEUE_PREFIX });
  let draining = true;
  const drainLoop = (async () => {
    while (draining) {
      await queue.drain();
      // Every 2 ms: jobs are deleted as they arrive, so the drain cadence does not pace the producer.
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  const probe = new Redis(redisUrl);
  const base = await redisUsedMemory(probe);
  try {
    const t0 = performance.now();
    const producer = runProducer([file, '--json'], env);
    const [rss, redisPeak, out] = await Promise.all([
      sampleMax(rssHighWater(producer.pid), producer.done),
      sampleMax(() => redisUsedMemory(probe), producer.done),
      producer.done,
    ]);
    const wallMs = performance.now() - t0;
    // The producer times itself from opening the file to the last job acknowledged, as
    // parseOnly is timed from opening the file to the last row: both without process start.
    const { seconds } = JSON.parse(out) as { seconds: number };
    return {
      rowsPerSec: perSec(rows, seconds * 1000),
      wallRowsPerSec: perSec(rows, wallMs),
      startupMs: Math.round(wallMs - seconds * 1000),
      peakRssMB: +(rss / 2 ** 20).toFixed(1),
      redisPeakMB: +((redisPeak - base) / 2 ** 20).toFixed(1),
    };
  } finally {
    draining = false;
    await drainLoop;
    await queue.close();
    connection.disconnect();
    probe.disconnect();
  }
}

/** Every chunk of `file` through the worker's chunk processor, WORKER_CONCURRENCY at once, as load `loadId`. */
async function directLoad(store: Store, file: string, loadId: string, concurrency: number, chunkSize: number) {
  const log = createLogger('bench', 'silent');
  await createOrResumeLoad(store, { loadId, file: { name: 'bench.csv', bytes: 0, sha256: loadId }, chunkSize });
  const stream = new ChunkStream(file, chunkSize);
  const limit = pLimit(concurrency);
  const pending: Promise<unknown>[] = [];
  for await (const c of stream) {
    const header = stream.header!.split(',');
    const job = {
      loadId,
      chunk: c.index,
      firstRow: c.firstRow,
      firstLine: c.firstLine,
      rows: c.rows,
      header,
      text: c.text,
    };
    pending.push(limit(() => processChunk(store, job, log)));
  }
  await Promise.all(pending);
  await markEnqueued(store, loadId, stream.chunks, stream.rows);
}

/**
 * The worker's chunk processor in this process, without a queue, as a first load into an empty
 * collection: from the first chunk to the query indexes built (the workers build them when a
 * first load completes), or with them created before the load (`indexesFirst`).
 */
async function directUpsert(file: string, env: NodeJS.ProcessEnv, opts: { indexesFirst?: boolean } = {}) {
  const config = loadConfig({ ...process.env, ...env }, { schema: { ...workerSchema, ...producerSchema } });
  const store = await connectStore(config, 'bench-direct');
  try {
    await ensureIndexes(store);
    if (opts.indexesFirst) await ensureQueryIndexes(store);
    const t0 = performance.now();
    await directLoad(store, file, 'direct', config.WORKER_CONCURRENCY, config.CHUNK_SIZE);
    const loadedMs = performance.now() - t0;
    await ensureQueryIndexes(store);
    const ms = performance.now() - t0;
    return { rowsPerSec: perSec(rows, ms), indexMs: Math.round(ms - loadedMs) };
  } finally {
    // Each measure on a store holding nothing of the earlier ones: later stages are not slowed
    // by the data of the earlier ones (it biased the worker counts run last).
    await store.db.dropDatabase().catch(() => undefined);
    await store.client.close();
  }
}

/**
 * What a reload of the identical file sends to the store: a first load (query indexes built),
 * then the same file as a new load, its commands counted with the driver's command monitoring:
 * commands by collection and name, update statements sent to the patients collection and the
 * documents they modified.
 */
async function reloadCommands(file: string, env: NodeJS.ProcessEnv) {
  const config = loadConfig({ ...process.env, ...env }, { schema: { ...workerSchema, ...producerSchema } });
  const store = await connectStore(config, 'bench-reload', { monitorCommands: true });
  try {
    await ensureIndexes(store);
    await directLoad(store, file, 'first', config.WORKER_CONCURRENCY, config.CHUNK_SIZE);
    await ensureQueryIndexes(store);
    const commands: Record<string, number> = {};
    const updates = new Map<number, number>();
    let updateStatements = 0;
    let modified = 0;
    store.client.on('commandStarted', (e) => {
      const coll = String(e.command[e.commandName] ?? '');
      commands[`${e.commandName} ${coll}`] = (commands[`${e.commandName} ${coll}`] ?? 0) + 1;
      if (e.commandName === 'update' && coll === store.patients.collectionName) {
        updates.set(e.requestId, 1);
        updateStatements += (e.command.updates as unknown[]).length;
      }
    });
    store.client.on('commandSucceeded', (e) => {
      if (updates.has(e.requestId)) modified += Number((e.reply as { nModified?: number }).nModified ?? 0);
    });
    const t0 = performance.now();
    await directLoad(store, file, 'reload', config.WORKER_CONCURRENCY, config.CHUNK_SIZE);
    const ms = performance.now() - t0;
    const report = (await readReport(store, 'reload'))!;
    return {
      rowsPerSec: perSec(rows, ms),
      unchanged: report.unchanged,
      updated: report.updated,
      patientUpdateStatements: updateStatements,
      patientDocumentsModified: modified,
      commands,
    };
  } finally {
    await store.db.dropDatabase().catch(() => undefined);
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
  // The same query indexes as the project's load ends with, built the fastest way (after the insert).
  const indexes = JSON.stringify(PATIENT_QUERY_INDEXES.map(({ key, name }) => ({ key, name })));
  const r = spawnSync(python, [join(ROOT, 'bench', 'seed_baseline.py'), file, mongoUrl, dbName, indexes], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`seed baseline failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { rows: number; seconds: number };
  return { rowsPerSec: Math.round(out.rows / out.seconds) };
}

/** Median, 90th percentile, maximum and sum of chunk times (ms). */
function distribution(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { chunks: sorted.length, median: at(0.5), p90: at(0.9), max: at(1), sum: sorted.reduce((a, b) => a + b, 0) };
}

/** Resolves once the patients' query indexes exist (the workers build them after a first load). */
async function queryIndexesBuilt(env: NodeJS.ProcessEnv): Promise<void> {
  const client = new MongoClient(env.MONGO_URL!);
  try {
    const patients = client.db(env.DB_NAME).collection('patients');
    for (;;) {
      const names = (await patients.listIndexes().toArray()).map((i) => String(i.name));
      if (PATIENT_QUERY_INDEXES.every((i) => names.includes(i.name))) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await client.close();
  }
}

/**
 * N worker processes, then `enqueue --wait` into an empty collection (endToEnd: until the load
 * completed and its query indexes are built), then the same file again as a new load (reload:
 * every row an existing admission).
 */
async function endToEnd(file: string, env: NodeJS.ProcessEnv, workers: number, reload: boolean) {
  // Each chunk's time, from the workers' "chunk done" log lines: where a slow run lost its time.
  let chunkMs: number[] = [];
  const procs = Array.from({ length: workers }, () => {
    const child = tracked(
      spawn(process.execPath, [SCRIPTS.worker], {
        env: { ...process.env, ...env, LOG_LEVEL: 'info' },
        stdio: ['ignore', 'ignore', 'pipe'],
      }),
    );
    const ready = new Promise<void>((resolve, reject) => {
      let err = '';
      let partial = '';
      child.stderr.on('data', (d: Buffer) => {
        const text = d.toString();
        if (err.length < 100_000) err += text;
        if (err.includes('"worker ready"')) resolve();
        const lines = (partial + text).split('\n');
        partial = lines.pop()!;
        for (const line of lines) {
          const ms = line.includes('"chunk done"') ? /"ms":(\d+)/.exec(line)?.[1] : undefined;
          if (ms) chunkMs.push(Number(ms));
        }
      });
      child.once('exit', (code) => reject(new Error(`worker exited ${code}: ${err.slice(-1000)}`)));
    });
    return { child, ready };
  });
  try {
    await Promise.all(procs.map((p) => p.ready));
    const t0 = performance.now();
    await runProducer([file, '--wait'], env).done;
    await queryIndexesBuilt(env);
    const first = perSec(rows, performance.now() - t0);
    const firstChunkMs = distribution(chunkMs);
    chunkMs = [];
    let again: number | null = null;
    if (reload) {
      const t1 = performance.now();
      await runProducer([file, '--new-load', '--wait'], env).done;
      again = perSec(rows, performance.now() - t1);
    }
    return {
      workers,
      rowsPerSec: first,
      chunkMs: firstChunkMs,
      reloadRowsPerSec: again,
      reloadChunkMs: reload ? distribution(chunkMs) : null,
    };
  } finally {
    await stopAll(procs.map((p) => p.child));
    await dropDatabaseOf(env);
  }
}

/** Stops the worker processes and waits for them to exit. */
async function stopAll(children: ReturnType<typeof spawn>[]): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
}

/** The targets, as ratios within one run (docs/performance.md). */
const TARGETS = [
  { key: 'enqueueOverParse', min: 1.5, what: 'enqueue / parseOnly' },
  { key: 'directOverNoRepeats', min: 0.8, what: 'directUpsert / directUpsert no repeats' },
  { key: 'bestEndToEndOverDirect', min: 0.8, what: 'best endToEnd / directUpsert' },
  { key: 'bestEndToEndOverSeed', min: 0.9, what: 'best endToEnd / seedBaseline' },
  { key: 'bestReloadOverBestEndToEnd', min: 0.8, what: 'best reload / best endToEnd' },
  { key: 'worstEndToEndOverBest', min: 0.9, what: 'each endToEnd / best (1..N workers)' },
] as const;

type EnvFor = (name: string) => NodeJS.ProcessEnv;

/** directUpsert and its variants: the write path alone, and what each default costs. */
async function directStages(file: string, dir: string, envFor: EnvFor) {
  say('directUpsert');
  const main = await bestOf((a) => directUpsert(file, envFor(`direct${a}`)));
  // The same write path on a file where no admission repeats: what the store allows when
  // every row is a plain insert (the seed's situation), to tell store limits from ours.
  say('directUpsert, no repeated admissions');
  const plain = join(dir, 'no-repeats.csv');
  await writeDataset(plain, { rows, seed: 7, invalidRate: 0, duplicateRate: 0, correctionRate: 0 });
  const noRepeats = await bestOf((a) => directUpsert(plain, envFor(`directplain${a}`)));
  // What the defaults cost: query indexes maintained during the load instead of built after
  // it, and a journaled write concern against a plain acknowledged one.
  say('directUpsert, query indexes created before the load');
  const indexesFirst = await bestOf((a) => directUpsert(file, envFor(`directidx${a}`), { indexesFirst: true }));
  say('directUpsert, MONGO_WRITE_CONCERN=acknowledged');
  const acknowledged = await bestOf((a) =>
    directUpsert(file, { ...envFor(`directack${a}`), MONGO_WRITE_CONCERN: 'acknowledged' }),
  );
  // On the file where no admission repeats, so that every row of the reload is unchanged (in the
  // main file, earlier rows of corrected admissions are changing rows and may write).
  say('directUpsert, reload of the identical file, no repeated admissions (commands counted)');
  const reload = await reloadCommands(plain, envFor('directreload'));
  return {
    rowsPerSec: main.rowsPerSec,
    indexMs: main.indexMs,
    reload,
    noRepeatsRowsPerSec: noRepeats.rowsPerSec,
    indexesFirstRowsPerSec: indexesFirst.rowsPerSec,
    acknowledgedRowsPerSec: acknowledged.rowsPerSec,
  };
}

/** endToEnd (and reload) for each worker count, the best of `repeat` attempts each. */
async function endToEndStages(file: string, envFor: EnvFor) {
  const out: Awaited<ReturnType<typeof endToEnd>>[] = [];
  if (!runs('endToEnd') && !runs('reload')) return { e2e: [], reloads: [], firstLoads: [] };
  for (const n of workerCounts) {
    say(`endToEnd${runs('reload') ? ' and reload' : ''} with ${n} worker(s)`);
    const attempts: Awaited<ReturnType<typeof endToEnd>>[] = [];
    for (let a = 1; a <= repeat; a++) attempts.push(await endToEnd(file, envFor(`e2e${n}_${a}`), n, runs('reload')));
    const pick = (f: (r: (typeof attempts)[number]) => number) => attempts.reduce((x, y) => (f(y) > f(x) ? y : x));
    const first = pick((r) => r.rowsPerSec);
    const again = pick((r) => r.reloadRowsPerSec ?? 0);
    out.push({ ...first, reloadRowsPerSec: again.reloadRowsPerSec, reloadChunkMs: again.reloadChunkMs });
  }
  return {
    e2e: runs('endToEnd') ? out.map(({ workers, rowsPerSec, chunkMs }) => ({ workers, rowsPerSec, chunkMs })) : [],
    reloads: runs('reload')
      ? out.map((r) => ({ workers: r.workers, rowsPerSec: r.reloadRowsPerSec!, chunkMs: r.reloadChunkMs! }))
      : [],
    // a reload is measured against the first load of the same run, whether endToEnd was asked or not
    firstLoads: out.map((r) => r.rowsPerSec),
  };
}

type Measured = {
  parse: number | null;
  enqueue: Awaited<ReturnType<typeof enqueueAlone>> | null;
  direct: Awaited<ReturnType<typeof directStages>> | null;
  baseline: Awaited<ReturnType<typeof seedBaseline>> | null;
} & Awaited<ReturnType<typeof endToEndStages>>;

/** The results document (bench/results/bench-<rows>.json): figures and the ratios of the targets. */
async function summarize(m: Measured, mongoUrl: string) {
  const best = m.firstLoads.length > 0 ? Math.max(...m.firstLoads) : null;
  const bestReload = m.reloads.length > 0 ? Math.max(...m.reloads.map((e) => e.rowsPerSec)) : null;
  const ratio = (x: number | null | undefined, y: number | null | undefined) =>
    x != null && y != null ? +(x / y).toFixed(2) : null;
  return {
    rows,
    parseOnly: { rowsPerSec: m.parse },
    enqueue: m.enqueue ?? { rowsPerSec: null },
    directUpsert: m.direct ?? { rowsPerSec: null },
    seedBaseline: m.baseline ?? { rowsPerSec: null },
    endToEnd: m.e2e,
    reload: m.reloads,
    ratios: {
      enqueueOverParse: ratio(m.enqueue?.rowsPerSec, m.parse),
      directOverNoRepeats: ratio(m.direct?.rowsPerSec, m.direct?.noRepeatsRowsPerSec),
      bestEndToEndOverDirect: ratio(best, m.direct?.rowsPerSec),
      bestEndToEndOverSeed: ratio(best, m.baseline?.rowsPerSec),
      bestReloadOverBestEndToEnd: ratio(bestReload, best),
      worstEndToEndOverBest: m.e2e.length > 1 ? ratio(Math.min(...m.e2e.map((e) => e.rowsPerSec)), best) : null,
    },
    repeat,
    machine: {
      cpus: (await import('node:os')).cpus().length,
      node: process.version,
      store: mongoUrl.includes('127.0.0.1') ? 'local' : 'remote',
    },
    at: new Date().toISOString(),
  };
}

/** The results as text, one stage a line, then each target met or not. */
function textReport(m: Measured, result: Awaited<ReturnType<typeof summarize>>): string {
  const { enqueue, direct } = m;
  const rate = (x: number | null | undefined) => (x == null ? 'not run' : `${x} rows/s`);
  const lines = [
    `rows                 ${rows}`,
    `parseOnly            ${rate(m.parse)}`,
    `enqueue              ${rate(enqueue?.rowsPerSec)}` +
      (enqueue
        ? `  (wall ${enqueue.wallRowsPerSec} rows/s incl. ${enqueue.startupMs} ms start-up)  peak RSS ${enqueue.peakRssMB} MB  Redis peak +${enqueue.redisPeakMB} MB`
        : ''),
    `directUpsert         ${rate(direct?.rowsPerSec)}` +
      (direct
        ? `  (query indexes built after: ${direct.indexMs} ms; no repeated admissions: ${direct.noRepeatsRowsPerSec};` +
          ` indexes first: ${direct.indexesFirstRowsPerSec}; acknowledged: ${direct.acknowledgedRowsPerSec} rows/s)`
        : ''),
    ...(direct
      ? [
          `directUpsert reload  ${direct.reload.rowsPerSec} rows/s (no repeated admissions)  unchanged ${direct.reload.unchanged}, updated ${direct.reload.updated};` +
            ` update statements to patients ${direct.reload.patientUpdateStatements}, documents modified ${direct.reload.patientDocumentsModified}`,
          `  commands            ${JSON.stringify(direct.reload.commands)}`,
        ]
      : []),
    `seedBaseline         ${rate(m.baseline?.rowsPerSec)}`,
    ...m.e2e.map(
      (e) =>
        `endToEnd ${String(e.workers).padEnd(2)} workers  ${e.rowsPerSec} rows/s  chunk ms ${JSON.stringify(e.chunkMs)}`,
    ),
    ...m.reloads.map(
      (e) =>
        `reload   ${String(e.workers).padEnd(2)} workers  ${e.rowsPerSec} rows/s  chunk ms ${JSON.stringify(e.chunkMs)}`,
    ),
    m.direct
      ? `target ${'reload: no update statement for an unchanged row'.padEnd(40)} ${m.direct.reload.patientUpdateStatements} statements for ${m.direct.reload.updated} updated rows (${m.direct.reload.patientUpdateStatements <= m.direct.reload.updated ? 'met' : 'NOT met'})`
      : `target ${'reload: no update statement for an unchanged row'.padEnd(40)} not measured`,
    ...TARGETS.map(({ key, min, what }) => {
      const v = result.ratios[key];
      return `target ${what.padEnd(40)} ${v == null ? 'not measured' : `${v} (>= ${min}: ${v >= min ? 'met' : 'NOT met'})`}`;
    }),
    `results              bench/results/bench-${rows}.json` + (m.e2e.length > 0 ? `, endToEnd-${rows}.svg` : ''),
  ];
  return `${lines.join('\n')}\n`;
}

async function main() {
  const services = await startServices();
  const dir = mkdtempSync(join(tmpdir(), 'hc-bench-'));
  // Ctrl-C or SIGTERM: stop the processes and servers the bench started and remove its files,
  // then exit 130.
  const interrupted = () => {
    for (const child of children) child.kill('SIGKILL');
    void services
      .stop()
      .finally(() => rmSync(dir, { recursive: true, force: true }))
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const tag = Date.now().toString(36);
  const envFor: EnvFor = (name) => ({
    REDIS_URL: services.redisUrl,
    MONGO_URL: services.mongoUrl,
    DB_NAME: `bench_${tag}_${name}`,
    QUEUE_NAME: `bench_${tag}_${name}`,
    LOG_LEVEL: 'warn',
    WORKER_HTTP_PORT: '0',
  });
  try {
    const file = join(dir, 'bench.csv');
    say(`generating ${rows} rows`);
    // No invalid rows: the seed's pandas reader stops at the first row with a wrong field count.
    await writeDataset(file, { rows, seed: 7, invalidRate: 0 });
    const parse = runs('parseOnly') ? (say('parseOnly'), await parseOnly(file)) : null;
    const enqueue = runs('enqueue')
      ? (say('enqueue'), await enqueueAlone(file, envFor('enqueue'), services.redisUrl))
      : null;
    const direct = runs('directUpsert') ? await directStages(file, dir, envFor) : null;
    const baseline = runs('seedBaseline')
      ? (say('seedBaseline'), await bestOf(async (a) => seedBaseline(file, services.mongoUrl, `bench_${tag}_seed${a}`)))
      : null;
    const measured: Measured = { parse, enqueue, direct, baseline, ...(await endToEndStages(file, envFor)) };
    const result = await summarize(measured, services.mongoUrl);
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, `bench-${rows}.json`), `${JSON.stringify(result, null, 2)}\n`);
    if (measured.e2e.length > 0) writeFileSync(join(RESULTS, `endToEnd-${rows}.svg`), renderChart(result));
    process.stdout.write(o.json ? `${JSON.stringify(result)}\n` : textReport(measured, result));
  } finally {
    await dropDatabases(services.mongoUrl, `bench_${tag}`).catch(() => undefined);
    await services.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Drops the database of one measure (its queue is deleted with the Redis data at the end). */
async function dropDatabaseOf(env: NodeJS.ProcessEnv): Promise<void> {
  const c = new MongoClient(env.MONGO_URL!);
  try {
    await c.db(env.DB_NAME).dropDatabase();
  } catch {
    // best effort: the bench drops every database it made at the end
  } finally {
    await c.close();
  }
}

/** Drops the databases the bench made. */
async function dropDatabases(mongoUrl: string, prefix: string): Promise<void> {
  const c = new MongoClient(mongoUrl);
  try {
    const { databases } = await c.db('admin').admin().listDatabases();
    for (const d of databases) if (d.name.startsWith(prefix)) await c.db(d.name).dropDatabase();
  } finally {
    await c.close();
  }
}

await main();
