// @ts-check
/**
 * The processes one `npm start` runs (or adopted from an earlier --keep): the servers, the
 * workers and the dashboard, the load in the foreground, and the order they stop in.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, secantusVenv, shown } from './paths.mjs';
import { freePort, isAlive, sleep, startProcess, stopAll, tail } from './processes.mjs';
import { clearRunning, writePrivate, writeState } from './state.mjs';

/** @param {string} line */
const say = (line) => process.stderr.write(`start: ${line}\n`);

/**
 * Waits until `probe` answers, or fails naming the process and the end of its log.
 * @param {string} what @param {() => Promise<boolean>} probe
 * @param {import('./processes.mjs').ProcessRecord | undefined} rec @param {number} timeoutMs
 */
export async function waitReady(what, probe, rec, timeoutMs = 60_000) {
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

/**
 * The processes this run started (or adopted from --keep), in the order they must stop.
 */
export class Stack {
  /** @param {string} dir @param {boolean} keep */
  constructor(dir, keep) {
    this.dir = dir;
    this.keep = keep;
    /** @type {import('./processes.mjs').ProcessRecord[]} */ this.services = [];
    /** @type {import('./processes.mjs').ProcessRecord[]} */ this.apps = [];
    /** @type {Map<number, import('node:child_process').ChildProcess>} */ this.children = new Map();
    /** @type {import('node:child_process').ChildProcess | undefined} */ this.load = undefined;
    this.interrupted = false;
    this.stopping = false;
    this.failed = false;
    this.adopted = false;
    /** @type {{ redisUrlShown: string, mongoShown: string, dashboardUrl: string }} */
    this.shown = { redisUrlShown: '', mongoShown: '', dashboardUrl: '' };
  }

  /** @param {import('./state.mjs').StackState} state */
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
   * @param {{ env: NodeJS.ProcessEnv, creds: import('./state.mjs').Credentials, redisPort?: number,
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
        // An oplog cap above a 1,000,000-row load: pruning at the default 100,000 entries slows
        // the inserts by a quarter (measured: 89 s against 67.5 s for 945,000 documents).
        '--oplog-max-entries',
        '2000000',
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
