#!/usr/bin/env node
// @ts-check
/**
 * npm start -- [file] [--workers N] [--keep] [--reset]
 *
 * A real load on a local stack this script sets up and runs itself: Redis and SecantusDB (a
 * MongoDB wire-protocol server) with auth and data under .hcingest/stack, the three MongoDB
 * accounts from db:init, N workers, the dashboard; then `enqueue --wait` of the file with its
 * progress bar and report. Everything it started is stopped when the load ends, on Ctrl-C and on
 * SIGTERM, unless --keep. Runs with Node alone: it sets up (and builds) the rest first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, parseEnv } from 'node:util';
import { ROOT, shown, stackDir } from './lib/paths.mjs';
import { freePort, isAlive, portIsFree, stopAll } from './lib/processes.mjs';
import { SetupError, setUp } from './lib/setup.mjs';
import { Stack, waitReady } from './lib/stack.mjs';
import {
  clearRunning,
  credentials,
  ensureDirs,
  liveProcesses,
  readDotEnv,
  readState,
  writePrivate,
} from './lib/state.mjs';

const USAGE = `Usage: npm start -- [file] [--workers N] [--keep] [--reset]

Loads a CSV file of admissions on a local stack that it sets up and runs itself:
Redis and SecantusDB (a MongoDB wire-protocol server on WiredTiger) with auth on, data under
.hcingest/stack; the MongoDB accounts from db:init; N workers (as the writer account); the
dashboard (as the reader); then enqueue --wait with a progress bar, and the report.
Sets up what is missing first (redis-server from apt, SecantusDB with pip, npm ci, the build).

Arguments:
  file            the CSV file to load (default: the synthetic sample
                  data/synthetic_healthcare_dataset.csv, generated when absent)

Options:
  --workers <n>   worker processes (default 2)
  --keep          leave the stack running after the load (stop it with: npm run stop)
  --reset         wipe the local stack's data and passwords first
  -h, --help      this help

Settings (environment or .env): REDIS_URL / MONGO_URL use servers of your own instead of starting
them (MONGO_URL: an account that may create users, or the writer with the accounts already made);
LOCAL_STACK_DIR, LOCAL_REDIS_PORT, LOCAL_MONGO_PORT (default: free ports), DASHBOARD_PORT
(default 3000, or a free port when 3000 is taken), DB_NAME, and every setting of the commands.
Passwords are generated into .hcingest/stack/credentials.env (mode 0600) and never printed.

Exit codes: those of enqueue --wait (0 completed, 1 failed, 2 refused, 4 too many rejects,
130 interrupted: run the same command again to resume), 1 when the stack cannot start.`;

/** @type {Stack | undefined} */
let current;

/** @param {string} line */
const say = (line) => process.stderr.write(`start: ${line}\n`);

class Refused extends Error {}

/** @returns {{ file?: string, workers: number, keep: boolean, reset: boolean }} */
function parseCli() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        workers: { type: 'string' },
        keep: { type: 'boolean', default: false },
        reset: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new Refused(`${/** @type {Error} */ (err).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (positionals.length > 1) throw new Refused(`one file at a time (got ${positionals.length})\n\n${USAGE}`);
  const workers = values.workers === undefined ? 2 : Number(values.workers);
  if (!/^[1-9]\d*$/.test(values.workers ?? '2') || workers > 64)
    throw new Refused(`--workers must be an integer from 1 to 64, got "${values.workers}"`);
  return { file: positionals[0], workers, keep: values.keep ?? false, reset: values.reset ?? false };
}

/** @param {string} name @param {NodeJS.ProcessEnv} env @returns {number | undefined} */
function portSetting(name, env) {
  const v = env[name];
  if (v === undefined || v === '' || v === '0') return undefined;
  if (!/^\d+$/.test(v) || Number(v) > 65535)
    throw new Refused(`${name} must be a port number (0 for a free one), got "${v}"`);
  return Number(v);
}

/** The given server, signed in as `user` against `authSource` (any credentials of `url` replaced). */
function signedIn(
  /** @type {string} */ url,
  /** @type {string} */ user,
  /** @type {string} */ pwd,
  /** @type {string} */ authSource,
) {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(pwd);
  u.searchParams.set('authSource', authSource);
  return u.toString();
}

/** Runs one of the built commands to completion, its output captured. @param {string} script @param {string[]} args @param {NodeJS.ProcessEnv} env */
function runCommand(script, args, env) {
  return spawnSync(process.execPath, [join(ROOT, script), ...args], { cwd: ROOT, env, encoding: 'utf8' });
}

/**
 * A stack already running on this folder: one left by --keep is used; another npm start's is
 * refused; what is left of a crashed one is stopped. @param {string} dir
 */
async function runningStack(dir) {
  const previous = readState(dir);
  if (!previous) return undefined;
  const live = liveProcesses(previous);
  const ownerAlive = isAlive({ pid: previous.ownerPid, startTime: null }) && previous.ownerPid !== process.pid;
  if (!previous.kept && ownerAlive)
    throw new Refused(
      `another npm start (pid ${previous.ownerPid}) is running on ${shown(dir)}: wait for it, ` +
        'stop it (npm run stop), or give this one its own LOCAL_STACK_DIR',
    );
  if (previous.kept && live.length === previous.apps.length + previous.services.length) return previous;
  if (live.length) {
    say(`stopping what is left of an earlier stack (${live.map((p) => p.name).join(', ')})`);
    await stopAll(live, 'SIGTERM', 20_000);
  }
  clearRunning(dir);
  return undefined;
}

/**
 * The three accounts, by the real db:init run as root; with a MONGO_URL of the user's only the
 * indexes, and every process uses that URL as it is.
 * @param {{ dir: string, env: NodeJS.ProcessEnv, creds: import('./lib/state.mjs').Credentials,
 *   mongoRoot: string, ownMongo: boolean, dbName: string }} o
 */
function createAccounts(o) {
  const init = runCommand('ops/dist/cli/dbInit.js', o.ownMongo ? [] : ['--skip-users'], {
    ...o.env,
    ADMIN_USER: 'admin',
    ADMIN_PASS: o.creds.ADMIN_PASS,
    WRITER_USER: 'writer',
    WRITER_PASS: o.creds.WRITER_PASS,
    READER_USER: 'reader',
    READER_PASS: o.creds.READER_PASS,
    DB_NAME: o.dbName,
    MONGO_URL: o.mongoRoot,
    LOG_LEVEL: 'warn',
    ENV_FILE: 'off',
  });
  if (init.status !== 0) throw new Error(`db:init failed: ${init.stderr.trim()}`);
  const as = (/** @type {string} */ user, /** @type {string} */ pwd) =>
    o.ownMongo ? signedIn(o.mongoRoot, user, pwd, o.dbName) : o.mongoRoot;
  return {
    writer: { MONGO_URL: as('writer', o.creds.WRITER_PASS), DB_NAME: o.dbName },
    reader: { MONGO_URL: as('reader', o.creds.READER_PASS), DB_NAME: o.dbName },
  };
}

/**
 * Settings files for commands run against the running stack (ENV_FILE=…), private to the user.
 * @param {string} dir @param {Record<string, string>} writer @param {Record<string, string>} reader
 */
function writeSettings(dir, writer, reader) {
  for (const [name, vars] of /** @type {const} */ ([
    ['writer.env', writer],
    ['reader.env', reader],
  ])) {
    const lines = Object.entries(vars).map(([k, v]) => `${k}=${v}`);
    writePrivate(
      join(dir, name),
      `# Settings of the running local stack, for commands: ENV_FILE=<this file> npm run <command>.\n${lines.join('\n')}\n`,
    );
  }
}

async function main() {
  const opts = parseCli();
  const env = { ...process.env };
  readDotEnv(env);
  const dir = stackDir(env);
  const file = opts.file ? resolve(process.cwd(), opts.file) : join(ROOT, 'data', 'synthetic_healthcare_dataset.csv');
  if (opts.file && !existsSync(file)) throw new Refused(`no such file: ${opts.file}`);
  if (opts.file && statSync(file).isDirectory()) throw new Refused(`${opts.file} is a directory: give one CSV file`);
  const redisPort = portSetting('LOCAL_REDIS_PORT', env);
  const mongoPort = portSetting('LOCAL_MONGO_PORT', env);
  const dashboardPortSetting = portSetting('DASHBOARD_PORT', env);

  const reuse = await runningStack(dir);
  if (opts.reset) {
    if (reuse)
      throw new Refused('--reset: a stack left running by --keep uses this data; stop it first (npm run stop)');
    say(`wiping ${shown(dir)} (--reset)`);
    rmSync(dir, { recursive: true, force: true });
  }

  // Set up what this run needs, before anything is started.
  const ownRedis = !reuse && !env.REDIS_URL;
  const ownMongo = !reuse && !env.MONGO_URL;
  await setUp({ redis: ownRedis, store: ownMongo });

  if (!opts.file && !existsSync(file)) {
    say(`generating the synthetic sample ${shown(file)} (data:generate)`);
    const r = runCommand('generator/dist/cli.js', ['--out', file], env);
    if (r.status !== 0) throw new Error(`data:generate failed: ${r.stderr.trim()}`);
  }

  ensureDirs(dir);
  const creds = credentials(dir);
  const dbName = env.DB_NAME || 'healthcare';
  const stack = new Stack(dir, opts.keep);
  current = stack;
  if (reuse) {
    say(
      `using the stack left running by an earlier npm start --keep (${reuse.apps.length} processes, ${reuse.redisUrlShown})`,
    );
    stack.adopt(reuse);
  }
  installSignalHandlers(stack);

  let urls;
  if (reuse) {
    urls = { redis: '', mongoRoot: '', dashboard: reuse.dashboardUrl, fromState: true };
  } else {
    urls = await stack.startServices({ env, creds, redisPort, mongoPort, ownRedis, ownMongo });
  }
  const writerEnv = readEnvFile(join(dir, 'writer.env'));
  const readerEnv = readEnvFile(join(dir, 'reader.env'));
  if (!reuse) {
    // The test server's index build blocks every connection (about 2 minutes per 1,000,000
    // documents, docs/test-store.md "Notes on the test server"): with it, the query indexes are made with
    // the collection and maintained during loads, unless QUERY_INDEXES says otherwise.
    if (ownMongo) env.QUERY_INDEXES ??= 'upfront';
    const accounts = createAccounts({ dir, env, creds, mongoRoot: urls.mongoRoot, ownMongo, dbName });
    Object.assign(writerEnv, accounts.writer, { REDIS_URL: urls.redis });
    if (env.QUERY_INDEXES) writerEnv.QUERY_INDEXES = env.QUERY_INDEXES;
    Object.assign(readerEnv, accounts.reader, { REDIS_URL: urls.redis });
    writeSettings(dir, writerEnv, readerEnv);
    const appEnv = { ...env, ENV_FILE: 'off', HCINGEST_STACK: dir };
    for (let i = 1; i <= opts.workers; i++) {
      stack.startApp(`worker-${i}`, ['worker/dist/main.js'], { ...appEnv, ...writerEnv, WORKER_HTTP_PORT: '0' });
    }
    const dashboardPort = dashboardPortSetting ?? ((await portIsFree(3000)) ? 3000 : await freePort());
    const dashboard = stack.startApp('dashboard', ['ops/dist/cli/dashboard.js'], {
      ...appEnv,
      ...readerEnv,
      DASHBOARD_HOST: '127.0.0.1',
      DASHBOARD_PORT: String(dashboardPort),
      DASHBOARD_AUTH: 'on',
      DASHBOARD_USER: creds.DASHBOARD_USER,
      DASHBOARD_PASSWORD: creds.DASHBOARD_PASSWORD,
    });
    urls.dashboard = `http://127.0.0.1:${dashboardPort}/`;
    await waitReady('the dashboard', async () => (await fetch(`${urls.dashboard}healthz`)).ok, dashboard);
    stack.save(urls);
  }
  stack.watch();
  const dashboardLine = `dashboard: ${urls.dashboard}  (user ${creds.DASHBOARD_USER}, password DASHBOARD_PASSWORD in ${shown(join(dir, 'credentials.env'))})`;
  say(dashboardLine);

  // The load itself, in the foreground: its progress bar and report are this command's output.
  const code = await stack.runLoad(file, {
    ...env,
    ENV_FILE: 'off',
    HCINGEST_STACK: dir,
    LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
    ...writerEnv,
  });
  say(dashboardLine);
  if (stack.interrupted) return stack.finish(code);
  if (opts.keep || reuse) {
    stack.keepRunning();
    const readerFile = shown(join(dir, 'reader.env'));
    const stackSetting = env.LOCAL_STACK_DIR ? `LOCAL_STACK_DIR=${env.LOCAL_STACK_DIR} ` : '';
    process.stderr.write(
      `\nThe local stack is still running${reuse ? '' : ' (--keep)'}:\n` +
        `  another file    ${stackSetting}npm start -- <file>   (uses this stack)\n` +
        `  a load's report ENV_FILE=${readerFile} npm run status -- <loadId>\n` +
        `  stop it         ${stackSetting}npm run stop\n`,
    );
    return code;
  }
  return stack.finish(code);
}

/** @param {string} path @returns {Record<string, string>} */
function readEnvFile(path) {
  return existsSync(path) ? /** @type {Record<string, string>} */ (parseEnv(readFileSync(path, 'utf8'))) : {};
}

/** @param {Stack} stack */
function installSignalHandlers(stack) {
  for (const sig of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    process.on(sig, () => void stack.interrupt(sig));
  }
}

try {
  process.exitCode = await main();
} catch (err) {
  if (err instanceof Refused) {
    process.stderr.write(`start: ${err.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(
      `start: ${err instanceof SetupError ? '' : 'cannot start the local stack: '}${/** @type {Error} */ (err).message}\n`,
    );
    process.exitCode = 1;
  }
  if (current && !current.stopping) await current.finish(1);
}
process.exit(process.exitCode);
