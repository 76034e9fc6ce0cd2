#!/usr/bin/env node
/**
 * npm start -- [file] [--workers N] [--keep] [--reset]
 *
 * A real load on a local stack this command runs itself: Redis and SecantusDB (a MongoDB
 * wire-protocol server) with auth and data under .hcingest/stack, the three MongoDB accounts from
 * db:init, N workers, the dashboard; then `enqueue --wait` of the file with its progress bar and
 * report. Everything it started is stopped when the load ends, on Ctrl-C and on SIGTERM, unless
 * --keep. npm start runs the set-up first (scripts/setup.mjs --for start: servers, npm ci, build).
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadEnvFile } from '@hcingest/shared';
import { shown, stackDir } from '../paths.js';
import { createAccounts, writeSettings } from '../stack/accounts.js';
import { startApps } from '../stack/apps.js';
import { readEnvFile, runCommand } from '../stack/commands.js';
import { credentials, type Credentials } from '../stack/credentials.js';
import { ensureDirs } from '../stack/privateFiles.js';
import { Refused, runningStack } from '../stack/runningStack.js';
import { say } from '../stack/say.js';
import { Stack } from '../stack/stack.js';
import type { StackState } from '../stack/stackState.js';
import { parseStartOptions, portSetting, type StartOptions } from './startOptions.js';

/** What one npm start does, from its command line and settings. */
interface Plan {
  opts: StartOptions;
  env: NodeJS.ProcessEnv;
  dir: string;
  redisPort?: number;
  mongoPort?: number;
  dashboardPort?: number;
}

let current: Stack | undefined;

function plan(): Plan {
  const opts = parseStartOptions();
  const env = { ...process.env };
  loadEnvFile(env);
  return {
    opts,
    env,
    dir: stackDir(env),
    redisPort: portSetting('LOCAL_REDIS_PORT', env),
    mongoPort: portSetting('LOCAL_MONGO_PORT', env),
    dashboardPort: portSetting('DASHBOARD_PORT', env),
  };
}

/** A stack left running by --keep to use, else none; --reset wipes the data of a stopped one. */
async function claimStackDir(p: Plan): Promise<StackState | undefined> {
  const reuse = await runningStack(p.dir);
  if (p.opts.reset) {
    if (reuse)
      throw new Refused('--reset: a stack left running by --keep uses this data; stop it first (npm run stop)');
    say(`wiping ${shown(p.dir)} (--reset)`);
    rmSync(p.dir, { recursive: true, force: true });
  }
  return reuse;
}

function ensureSample(p: Plan): void {
  if (p.opts.given !== undefined || existsSync(p.opts.file)) return;
  say(`generating the synthetic sample ${shown(p.opts.file)} (data:generate)`);
  const r = runCommand('generator/dist/cli/generate.js', ['--out', p.opts.file], p.env);
  if (r.status !== 0) throw new Error(`data:generate failed: ${r.stderr.trim()}`);
}

/** The servers, the accounts and their settings files, the workers and the dashboard; returns its URL. */
async function bringUp(p: Plan, stack: Stack, creds: Credentials, writerEnv: Record<string, string>): Promise<string> {
  const { env } = p;
  const ownRedis = !env.REDIS_URL;
  const ownMongo = !env.MONGO_URL;
  const urls = await stack.startServices({
    env,
    creds,
    redisPort: p.redisPort,
    mongoPort: p.mongoPort,
    ownRedis,
    ownMongo,
  });
  // The test server's index build blocks every connection (about 2 minutes per 1,000,000
  // documents, README "Notes on the test server"): with it, the query indexes are made with
  // the collection and maintained during loads, unless QUERY_INDEXES says otherwise.
  if (ownMongo) env.QUERY_INDEXES ??= 'upfront';
  const dbName = env.DB_NAME || 'healthcare';
  const accounts = createAccounts({ env, creds, mongoRoot: urls.mongoRoot, ownMongo, dbName });
  Object.assign(writerEnv, accounts.writer, { REDIS_URL: urls.redis });
  if (env.QUERY_INDEXES) writerEnv.QUERY_INDEXES = env.QUERY_INDEXES;
  const readerEnv = { ...readEnvFile(join(p.dir, 'reader.env')), ...accounts.reader, REDIS_URL: urls.redis };
  writeSettings(p.dir, { writer: writerEnv, reader: readerEnv });
  const dashboard = await startApps(stack, {
    env: { ...env, ENV_FILE: 'off', HCINGEST_STACK: p.dir },
    workers: p.opts.workers,
    writerEnv,
    readerEnv,
    creds,
    dashboardPort: p.dashboardPort,
  });
  stack.save({ dashboard });
  return dashboard;
}

/** After the load: stop the stack, or leave it running (--keep, or one adopted) and say how to use it. */
async function afterLoad(p: Plan, stack: Stack, code: number, adopted: boolean): Promise<number> {
  if (stack.interrupted || !(p.opts.keep || adopted)) return stack.finish(code);
  stack.keepRunning();
  const readerFile = shown(join(p.dir, 'reader.env'));
  const stackSetting = p.env.LOCAL_STACK_DIR ? `LOCAL_STACK_DIR=${p.env.LOCAL_STACK_DIR} ` : '';
  process.stderr.write(
    `\nThe local stack is still running${adopted ? '' : ' (--keep)'}:\n` +
      `  another file    ${stackSetting}npm start -- <file>   (uses this stack)\n` +
      `  a load's report ENV_FILE=${readerFile} npm run status -- <loadId>\n` +
      `  stop it         ${stackSetting}npm run stop\n`,
  );
  return code;
}

async function main(): Promise<number> {
  const p = plan();
  const reuse = await claimStackDir(p);
  ensureSample(p);
  ensureDirs(p.dir);
  const creds = credentials(p.dir);
  const stack = new Stack(p.dir);
  current = stack;
  if (reuse) {
    say(
      `using the stack left running by an earlier npm start --keep (${reuse.apps.length} processes, ${reuse.redisUrlShown})`,
    );
    stack.adopt(reuse);
  }
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => void stack.interrupt(sig));
  const writerEnv = readEnvFile(join(p.dir, 'writer.env'));
  const dashboard = reuse ? reuse.dashboardUrl : await bringUp(p, stack, creds, writerEnv);
  stack.watch();
  const dashboardLine = `dashboard: ${dashboard}  (user ${creds.DASHBOARD_USER}, password DASHBOARD_PASSWORD in ${shown(join(p.dir, 'credentials.env'))})`;
  say(dashboardLine);
  // The load itself, in the foreground: its progress bar and report are this command's output.
  const env = p.env;
  const code = await stack.runLoad(p.opts.file, {
    ...env,
    ENV_FILE: 'off',
    HCINGEST_STACK: p.dir,
    LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
    ...writerEnv,
  });
  say(dashboardLine);
  return afterLoad(p, stack, code, reuse !== undefined);
}

try {
  process.exitCode = await main();
} catch (err) {
  if (err instanceof Refused) {
    process.stderr.write(`start: ${err.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`start: cannot start the local stack: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
  if (current && !current.stopping) await current.finish(1);
}
process.exit(process.exitCode);
