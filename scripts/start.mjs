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
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, parseEnv } from 'node:util';
import { ROOT, secantusVenv, shown, stackDir } from './lib/paths.mjs';
import { freePort, isAlive, portIsFree, sleep, startProcess, stopAll, tail } from './lib/processes.mjs';
import { SetupError, setUp } from './lib/setup.mjs';
import {
  clearRunning,
  credentials,
  ensureDirs,
  liveProcesses,
  readDotEnv,
  readState,
  writePrivate,
  writeState,
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

/**
 * Waits until `probe` answers, or fails naming the process and the end of its log.
 * @param {string} what @param {() => Promise<boolean>} probe
 * @param {import('./lib/processes.mjs').ProcessRecord | undefined} rec @param {number} timeoutMs
 */
async function waitReady(what, probe, rec, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (rec && !isAlive(rec))
      throw new Error(`${what} exited at start-up; the end of ${shown(rec.log)}:\n${tail(rec.log)}`);
    if (Date.now() > deadline)
      throw new Error(`${what} did not answer within ${timeoutMs / 1000} s (log: ${rec ? shown(rec.log) : '-'})`);
    await sleep(150);
  }
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

  // A stack already running on this folder: one left by --keep is used; another npm start's is not.
  const previous = readState(dir);
  let reuse;
  if (previous) {
    const live = liveProcesses(previous);
    const ownerAlive = isAlive({ pid: previous.ownerPid, startTime: null }) && previous.ownerPid !== process.pid;
    if (!previous.kept && ownerAlive)
      throw new Refused(
        `another npm start (pid ${previous.ownerPid}) is running on ${shown(dir)}: wait for it, ` +
          'stop it (npm run stop), or give this one its own LOCAL_STACK_DIR',
      );
    if (previous.kept && live.length === previous.apps.length + previous.services.length) reuse = previous;
    else if (live.length) {
      say(`stopping what is left of an earlier stack (${live.map((p) => p.name).join(', ')})`);
      await stopAll(live, 'SIGTERM', 20_000);
    }
    if (!reuse) clearRunning(dir);
  }
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
    const r = runCommand('producer/dist/cli/generate.js', ['--out', file], env);
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
    // The three accounts, by the real db:init (run as root); with a MONGO_URL of the user's, only
    // the indexes, and every process uses that URL as it is.
    const accounts = {
      ADMIN_USER: 'admin',
      ADMIN_PASS: creds.ADMIN_PASS,
      WRITER_USER: 'writer',
      WRITER_PASS: creds.WRITER_PASS,
      READER_USER: 'reader',
      READER_PASS: creds.READER_PASS,
    };
    const init = runCommand('producer/dist/cli/dbInit.js', ownMongo ? [] : ['--skip-users'], {
      ...env,
      ...accounts,
      DB_NAME: dbName,
      MONGO_URL: urls.mongoRoot,
      LOG_LEVEL: 'warn',
      ENV_FILE: 'off',
    });
    if (init.status !== 0) throw new Error(`db:init failed: ${init.stderr.trim()}`);
    const writer = ownMongo ? signedIn(urls.mongoRoot, 'writer', creds.WRITER_PASS, dbName) : urls.mongoRoot;
    const reader = ownMongo ? signedIn(urls.mongoRoot, 'reader', creds.READER_PASS, dbName) : urls.mongoRoot;
    const common = { REDIS_URL: urls.redis, DB_NAME: dbName };
    Object.assign(writerEnv, common, { MONGO_URL: writer });
    Object.assign(readerEnv, common, { MONGO_URL: reader });
    const settings = (/** @type {Record<string, string>} */ vars) =>
      '# Settings of the running local stack, for commands: ENV_FILE=<this file> npm run <command>.\n' +
      Object.entries(vars)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n') +
      '\n';
    writePrivate(join(dir, 'writer.env'), settings(writerEnv));
    writePrivate(join(dir, 'reader.env'), settings(readerEnv));

    const appEnv = { ...env, ENV_FILE: 'off', HCINGEST_STACK: dir };
    for (let i = 1; i <= opts.workers; i++) {
      stack.startApp(`worker-${i}`, ['worker/dist/main.js'], { ...appEnv, ...writerEnv, WORKER_HTTP_PORT: '0' });
    }
    const dashboardPort = dashboardPortSetting ?? ((await portIsFree(3000)) ? 3000 : await freePort());
    const dashboard = stack.startApp('dashboard', ['producer/dist/cli/dashboard.js'], {
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
    process.stderr.write(
      `\nThe local stack is still running${reuse ? '' : ' (--keep)'}:\n` +
        `  another file    npm start -- <file>   (uses this stack)\n` +
        `  a load's report ENV_FILE=${readerFile} npm run status -- <loadId>\n` +
        `  stop it         npm run stop\n`,
    );
    return code;
  }
  return stack.finish(code);
}

/** @param {string} path @returns {Record<string, string>} */
function readEnvFile(path) {
  return existsSync(path) ? /** @type {Record<string, string>} */ (parseEnv(readFileSync(path, 'utf8'))) : {};
}

/**
 * The processes this run started (or adopted from --keep), in the order they must stop.
 */
class Stack {
  /** @param {string} dir @param {boolean} keep */
  constructor(dir, keep) {
    this.dir = dir;
    this.keep = keep;
    /** @type {import('./lib/processes.mjs').ProcessRecord[]} */ this.services = [];
    /** @type {import('./lib/processes.mjs').ProcessRecord[]} */ this.apps = [];
    /** @type {Map<number, import('node:child_process').ChildProcess>} */ this.children = new Map();
    /** @type {import('node:child_process').ChildProcess | undefined} */ this.load = undefined;
    this.interrupted = false;
    this.stopping = false;
    this.failed = false;
    this.adopted = false;
    /** @type {{ redisUrlShown: string, mongoShown: string, dashboardUrl: string }} */
    this.shown = { redisUrlShown: '', mongoShown: '', dashboardUrl: '' };
  }

  /** @param {import('./lib/state.mjs').StackState} state */
  adopt(state) {
    this.adopted = true;
    this.shown = { redisUrlShown: state.redisUrlShown, mongoShown: state.mongoShown, dashboardUrl: state.dashboardUrl };
  }

  /** @param {string} name @param {string} cmd @param {string[]} args @param {NodeJS.ProcessEnv} env */
  startService(name, cmd, args, env) {
    if (this.stopping) throw new Error('interrupted');
    const { child, rec } = startProcess(name, cmd, args, {
      env,
      cwd: this.dir,
      log: join(this.dir, 'logs', `${name}.log`),
    });
    this.services.push(rec);
    this.children.set(rec.pid, child);
    this.save();
    return rec;
  }

  /** @param {string} name @param {string[]} args @param {NodeJS.ProcessEnv} env */
  startApp(name, args, env) {
    if (this.stopping) throw new Error('interrupted');
    const { child, rec } = startProcess(
      name,
      process.execPath,
      args.map((a, i) => (i === 0 ? join(ROOT, a) : a)),
      {
        env,
        cwd: ROOT,
        log: join(this.dir, 'logs', `${name}.log`),
      },
    );
    this.apps.push(rec);
    this.children.set(rec.pid, child);
    this.save();
    return rec;
  }

  /**
   * Redis and SecantusDB (unless given by REDIS_URL / MONGO_URL), each waited for.
   * @param {{ env: NodeJS.ProcessEnv, creds: import('./lib/state.mjs').Credentials, redisPort?: number,
   *   mongoPort?: number, ownRedis: boolean, ownMongo: boolean }} o
   */
  async startServices(o) {
    const serviceEnv = { ...o.env, HCINGEST_STACK: this.dir };
    let redis = o.env.REDIS_URL ?? '';
    if (o.ownRedis) {
      const port = o.redisPort ?? (await freePort());
      // The password goes in a private config file, not on the command line (ps shows that).
      const conf = join(this.dir, 'redis.conf');
      writePrivate(
        conf,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${join(this.dir, 'redis')}`,
          // The queue survives a stop: an interrupted load resumes where it was.
          'appendonly yes',
          'appendfsync everysec',
          'save ""',
          `requirepass ${o.creds.REDIS_PASSWORD}`,
          'daemonize no',
          '',
        ].join('\n'),
      );
      const rec = this.startService('redis', 'redis-server', [conf], serviceEnv);
      redis = `redis://:${o.creds.REDIS_PASSWORD}@127.0.0.1:${port}`;
      const { Redis } = await import('ioredis');
      await waitReady(
        `redis-server on port ${port}`,
        async () => {
          const r = new Redis(redis, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
          r.on('error', () => undefined);
          try {
            await r.connect();
            return (await r.ping()) === 'PONG';
          } finally {
            r.disconnect();
          }
        },
        rec,
      );
      this.shown.redisUrlShown = `redis://127.0.0.1:${port}`;
    } else {
      this.shown.redisUrlShown = 'REDIS_URL';
    }

    let mongoRoot = o.env.MONGO_URL ?? '';
    if (o.ownMongo) {
      const port = o.mongoPort ?? (await freePort());
      const bin = join(secantusVenv(o.env), 'bin', 'secantusd-py');
      const data = join(this.dir, 'mongo', 'data');
      const config = join(this.dir, 'secantusd.toml');
      // An explicit (empty) config file: no secantusd.toml of the user's is picked up by accident.
      if (!existsSync(config)) writeFileSync(config, '# settings are given on the command line by npm start\n');
      const args = (/** @type {boolean} */ auth) => [
        '--config',
        config,
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--storage-path',
        data,
        '--log-level',
        'WARNING',
        ...(auth ? ['--auth'] : []),
      ];
      const { MongoClient } = await import('mongodb');
      mongoRoot = `mongodb://root:${o.creds.MONGO_ROOT_PASS}@127.0.0.1:${port}/?authSource=admin`;
      const marker = join(this.dir, 'mongo', 'provisioned');
      const ping = (/** @type {string} */ url) => async () => {
        const c = new MongoClient(url, { serverSelectionTimeoutMS: 1000 });
        try {
          await c.db('admin').command({ ping: 1 });
          return true;
        } finally {
          await c.close();
        }
      };
      if (!existsSync(marker)) {
        // First start: the root account is made without auth (as secantusd-py --help says), then
        // the server runs with --auth from there on.
        say('creating the local store (SecantusDB) and its root account');
        const first = this.startService('secantus', bin, args(false), serviceEnv);
        const open = `mongodb://127.0.0.1:${port}/`;
        await waitReady(`secantusd-py on port ${port}`, ping(open), first);
        const c = new MongoClient(open, { serverSelectionTimeoutMS: 5000 });
        try {
          await c
            .db('admin')
            .command({ createUser: 'root', pwd: o.creds.MONGO_ROOT_PASS, roles: [{ role: 'root', db: 'admin' }] });
        } finally {
          await c.close();
        }
        await stopAll([first], 'SIGTERM', 20_000);
        this.services = this.services.filter((r) => r !== first);
        writeFileSync(marker, '');
      }
      const rec = this.startService('secantus', bin, args(true), serviceEnv);
      await waitReady(`secantusd-py on port ${port}`, ping(mongoRoot), rec);
      this.shown.mongoShown = `127.0.0.1:${port}`;
    } else {
      this.shown.mongoShown = 'MONGO_URL';
    }
    return { redis, mongoRoot, dashboard: '', fromState: false };
  }

  /** @param {{ dashboard?: string }} [urls] */
  save(urls) {
    if (urls?.dashboard) this.shown.dashboardUrl = urls.dashboard;
    writeState(this.dir, {
      ownerPid: process.pid,
      kept: false,
      ...this.shown,
      services: this.services,
      apps: this.apps,
    });
  }

  /** A worker, the dashboard or a server that dies while the load runs stops the load: it would wait forever. */
  watch() {
    for (const [pid, child] of this.children) {
      child.once('exit', (code, sig) => {
        if (this.stopping) return;
        const rec = [...this.apps, ...this.services].find((r) => r.pid === pid);
        say(
          `${rec?.name ?? pid} exited (${sig ?? `code ${code}`}); the end of ${rec ? shown(rec.log) : 'its log'}:\n${rec ? tail(rec.log) : ''}`,
        );
        this.failed = true;
        this.load?.kill('SIGINT');
      });
    }
  }

  /** @param {string} file @param {NodeJS.ProcessEnv} env @returns {Promise<number>} */
  runLoad(file, env) {
    return new Promise((resolvePromise) => {
      // Own process group too: the one Ctrl-C reaches it through this script, exactly once.
      const load = spawn(
        process.execPath,
        ['--max-old-space-size=256', join(ROOT, 'producer/dist/cli/enqueue.js'), file, '--wait'],
        {
          cwd: process.cwd(),
          env,
          stdio: 'inherit',
          detached: true,
        },
      );
      this.load = load;
      load.on('exit', (code, sig) => {
        this.load = undefined;
        resolvePromise(code ?? (sig ? 130 : 1));
      });
    });
  }

  /** First Ctrl-C / SIGTERM: stop the load (resumable) and everything started. Second: at once. @param {NodeJS.Signals} sig */
  async interrupt(sig) {
    if (this.interrupted) {
      say('stopping at once (second signal)');
      this.stopping = true;
      this.load?.kill('SIGKILL');
      if (!this.adopted)
        for (const rec of [...this.apps, ...this.services]) if (isAlive(rec)) process.kill(rec.pid, 'SIGKILL');
      if (!this.adopted) clearRunning(this.dir);
      process.exit(130);
    }
    this.interrupted = true;
    say(
      `${sig}: stopping the load (resumable: run the same command again) and the stack (a second ${sig} stops at once)`,
    );
    if (this.load) {
      this.load.kill('SIGINT');
      return; // main() continues when the load exits, then stops the stack
    }
    process.exit(await this.finish(130));
  }

  /** Stops what this run started, apps first, then the servers. @param {number} code */
  async finish(code) {
    this.stopping = true;
    if (!this.adopted && (this.apps.length || this.services.length)) {
      say('stopping the workers, the dashboard and the servers');
      const grace = Number(process.env.SHUTDOWN_GRACE_MS ?? 30_000) + 5_000;
      await stopAll(this.apps, 'SIGTERM', grace);
      await stopAll(this.services, 'SIGTERM', 20_000);
      clearRunning(this.dir);
    }
    return this.failed ? Math.max(code, 1) : code;
  }

  /** --keep: the processes outlive this script; npm run stop ends them. */
  keepRunning() {
    this.stopping = true;
    if (this.adopted) return;
    for (const child of this.children.values()) child.unref();
    writeState(this.dir, {
      ownerPid: process.pid,
      kept: true,
      ...this.shown,
      services: this.services,
      apps: this.apps,
    });
  }
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
