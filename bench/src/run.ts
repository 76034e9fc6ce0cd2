/**
 * One bench run: the servers, a generated file, every stage asked for, then the results (files
 * under bench/results, and the text or JSON on stdout).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServices, type Services } from '@hcingest/devstack';
import { writeDataset } from '@hcingest/generator';
import type { BenchContext, EnvFor } from './context.js';
import { measureAll } from './measureAll.js';
import type { BenchOptions } from './options.js';
import { Children } from './processes/children.js';
import { writeResultFiles } from './report/resultFiles.js';
import { summarize } from './report/summarize.js';
import { textReport } from './report/textReport.js';
import { dropDatabases } from './store/databases.js';

/**
 * Ctrl-C or SIGTERM: stop the processes and servers the bench started and remove its files,
 * then exit 130.
 */
function stopOnSignal(children: Children, services: Services, dir: string): void {
  const interrupted = () => {
    children.killAll();
    void services
      .stop()
      .finally(() => rmSync(dir, { recursive: true, force: true }))
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
}

/** Each measure's own database and queue, on the bench's servers. */
function envFor(services: Services, dbPrefix: string): EnvFor {
  return (name) => ({
    REDIS_URL: services.redisUrl,
    MONGO_URL: services.mongoUrl,
    DB_NAME: `${dbPrefix}_${name}`,
    QUEUE_NAME: `${dbPrefix}_${name}`,
    LOG_LEVEL: 'warn',
    WORKER_HTTP_PORT: '0',
  });
}

/** Generates the file, measures, writes the result files and prints the results. */
async function measureAndReport(ctx: BenchContext): Promise<void> {
  const { options, say } = ctx;
  say(`generating ${options.rows} rows`);
  // No invalid rows: the seed's pandas reader stops at the first row with a wrong field count.
  await writeDataset(ctx.file, { rows: options.rows, seed: 7, invalidRate: 0 });
  const measured = await measureAll(ctx);
  const result = summarize(measured, {
    rows: options.rows,
    repeat: options.repeat,
    mongoUrl: ctx.mongoUrl,
    ...(options.only ? { only: options.only } : {}),
  });
  writeResultFiles(result);
  process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : textReport(measured, result));
}

/** Runs the bench with `options`. */
export async function run(options: BenchOptions): Promise<void> {
  const services = await startServices();
  const dir = mkdtempSync(join(tmpdir(), 'hc-bench-'));
  const children = new Children();
  stopOnSignal(children, services, dir);
  const dbPrefix = `bench_${Date.now().toString(36)}`;
  const ctx: BenchContext = {
    options,
    say: (msg) => {
      if (!options.json) process.stderr.write(`${msg}\n`);
    },
    file: join(dir, 'bench.csv'),
    dir,
    envFor: envFor(services, dbPrefix),
    redisUrl: services.redisUrl,
    mongoUrl: services.mongoUrl,
    dbPrefix,
    children,
  };
  try {
    await measureAndReport(ctx);
  } finally {
    await dropDatabases(services.mongoUrl, dbPrefix).catch(() => undefined);
    await services.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
