import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT } from './paths.js';
import { MongoClient } from 'mongodb';
import { Redis } from 'ioredis';

/**
 * Real Redis and a real MongoDB-wire server for the tests. When REDIS_URL / MONGO_URL are set
 * they are used as they are (MONGO_URL must be an account that may create users); otherwise
 * private servers are started on free ports: redis-server, and SecantusDB with --auth.
 */

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 30_000,
  exited: () => string | undefined = () => undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    const why = exited();
    if (why) throw new Error(`${what} ${why}`);
    if (Date.now() > deadline) throw new Error(`${what} did not become ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function findBinary(candidates: string[], name: string): string {
  for (const c of candidates) if (c && existsSync(c)) return c;
  const which = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  throw new Error(`${name} not found: run npm run setup -- --for test (or set REDIS_URL and MONGO_URL)`);
}

export class RedisServer {
  private proc?: ChildProcess;
  readonly dir = mkdtempSync(join(tmpdir(), 'hc-redis-'));
  constructor(readonly port: number) {}
  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start(extraArgs: string[] = []): Promise<void> {
    const bin = findBinary(['/usr/bin/redis-server'], 'redis-server');
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--save',
      '',
      '--appendonly',
      'no',
      ...extraArgs,
    ];
    this.proc = spawn(bin, args, { stdio: 'ignore' });
    await waitFor('redis-server', async () => {
      const r = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      r.on('error', () => undefined);
      try {
        await r.connect();
        return (await r.ping()) === 'PONG';
      } finally {
        r.disconnect();
      }
    });
  }
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await killAndWait(this.proc, signal, SERVER_STOP_GRACE_MS);
    this.proc = undefined;
  }
  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Where the set-up (scripts/lib/setup.mjs) puts SecantusDB; SECANTUS_VENV / SECANTUSD_BIN otherwise. */
const SECANTUS_VERSION = (
  JSON.parse(readFileSync(join(ROOT, 'scripts/lib/versions.json'), 'utf8')) as { secantus: string }
).secantus;
const SECANTUS_VENV = process.env.SECANTUS_VENV
  ? resolve(ROOT, process.env.SECANTUS_VENV)
  : join(ROOT, '.hcingest', 'tools', `secantus-${SECANTUS_VERSION}`);
/** secantusd-py as the set-up installs it (what npm start runs). */
export const SECANTUSD_IN_VENV = join(SECANTUS_VENV, 'bin', 'secantusd-py');

/**
 * SecantusDB, a MongoDB wire-protocol server on WiredTiger, as the test store. It runs with
 * `--auth` on a storage directory of its own: a root account is provisioned on a first start
 * without auth (the way its --help describes), then it is restarted with --auth, so every test
 * meets real SCRAM authentication and MongoDB's built-in roles. The storage directory survives
 * stop/kill/start, which the fault tests use.
 */
export class SecantusServer {
  private proc?: ChildProcess;
  private log = '';
  readonly dir = mkdtempSync(join(tmpdir(), 'hc-secantus-'));
  readonly root = { user: 'root', password: `root-${randomBytes(12).toString('hex')}` };
  private authOn = false;
  constructor(readonly port: number) {}

  /** The root account's connection string (the harness's MONGO_URL). */
  get url() {
    const { user, password } = this.root;
    return `mongodb://${user}:${password}@127.0.0.1:${this.port}/?authSource=admin`;
  }
  get storagePath() {
    return join(this.dir, 'data');
  }

  /** First start: creates the root account without auth, then restarts with --auth. */
  async provision(): Promise<void> {
    await this.start({ auth: false });
    const c = new MongoClient(`mongodb://127.0.0.1:${this.port}/`, { serverSelectionTimeoutMS: 5000 });
    try {
      await c
        .db('admin')
        .command({ createUser: this.root.user, pwd: this.root.password, roles: [{ role: 'root', db: 'admin' }] });
    } finally {
      await c.close();
    }
    await this.stop();
    await this.start();
  }

  /** Starts (again) on the same storage path, with --auth unless told otherwise. */
  async start(opts: { auth?: boolean } = {}): Promise<void> {
    this.authOn = opts.auth ?? true;
    const bin = findBinary([process.env.SECANTUSD_BIN ?? '', SECANTUSD_IN_VENV], 'secantusd-py');
    const args = ['--host', '127.0.0.1', '--port', String(this.port), '--storage-path', this.storagePath];
    if (this.authOn) args.push('--auth');
    args.push('--log-level', 'WARNING');
    this.log = '';
    const proc = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr!.on('data', (d: Buffer) => (this.log = (this.log + d.toString()).slice(-4000)));
    this.proc = proc;
    const url = this.authOn ? this.url : `mongodb://127.0.0.1:${this.port}/`;
    await waitFor(
      'secantusd-py',
      async () => {
        const c = new MongoClient(url, { serverSelectionTimeoutMS: 500 });
        try {
          await c.db('admin').command({ ping: 1 });
          return true;
        } finally {
          await c.close();
        }
      },
      60_000,
      () => (proc.exitCode === null ? undefined : `exited with ${proc.exitCode}: ${this.log}`),
    );
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await killAndWait(this.proc, signal, SERVER_STOP_GRACE_MS);
    this.proc = undefined;
  }
  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * How long a server the harness started may take to exit after SIGTERM before it is killed: the
 * test server busy in a long query did not exit at all (its stop then hung the bench's Ctrl-C).
 */
export const SERVER_STOP_GRACE_MS = 10_000;

/** Sends `signal` and waits for the exit; with `killAfterMs`, SIGKILL if it has not exited by then. */
export async function killAndWait(
  proc: ChildProcess | undefined,
  signal: NodeJS.Signals,
  killAfterMs?: number,
): Promise<void> {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill(signal);
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => proc.kill('SIGKILL'), killAfterMs);
  await exited.finally(() => clearTimeout(timer));
}

/** The services of one test run. */
export interface Services {
  redisUrl: string;
  /** an account that may create users (the harness's root account, or the MONGO_URL given) */
  mongoUrl: string;
  /** present when the harness started them (fault tests need them) */
  redis?: RedisServer;
  mongo?: SecantusServer;
  stop(): Promise<void>;
}

export async function startServices(env: NodeJS.ProcessEnv = process.env): Promise<Services> {
  let redis: RedisServer | undefined;
  let mongo: SecantusServer | undefined;
  try {
    if (!env.REDIS_URL) {
      redis = new RedisServer(await freePort());
      await redis.start();
    }
    if (!env.MONGO_URL) {
      mongo = new SecantusServer(await freePort());
      await mongo.provision();
    }
  } catch (err) {
    await redis?.stop();
    await mongo?.stop();
    throw err;
  }
  return {
    redisUrl: env.REDIS_URL ?? redis!.url,
    mongoUrl: env.MONGO_URL ?? mongo!.url,
    redis,
    mongo,
    async stop() {
      await redis?.stop();
      await mongo?.stop();
      redis?.cleanup();
      mongo?.cleanup();
    },
  };
}
