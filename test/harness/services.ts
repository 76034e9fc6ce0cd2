import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { Redis } from 'ioredis';

/**
 * Real Redis and a real MongoDB-wire server for the tests. When REDIS_URL / MONGO_URL are set
 * they are used as they are; otherwise private servers are started on free ports:
 * redis-server, and FerretDB v1.24.2 on PostgreSQL (FERRETDB_HANDLER=sqlite for SQLite).
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

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} did not become ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function findBinary(candidates: string[], name: string): string {
  for (const c of candidates) if (c && existsSync(c)) return c;
  const which = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  throw new Error(`${name} not found: run .ci/install-services.sh (or set REDIS_URL and MONGO_URL)`);
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
    await killAndWait(this.proc, signal);
    this.proc = undefined;
  }
  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function asPostgres(cmd: string[]): string[] {
  return userInfo().uid === 0 ? ['runuser', '-u', 'postgres', '--', ...cmd] : cmd;
}

function pgBin(name: string): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort().reverse() : [];
  return findBinary(
    versions.map((v) => join(root, v, 'bin', name)),
    name,
  );
}

export class PostgresServer {
  readonly dir = mkdtempSync(join(tmpdir(), 'hc-pg-'));
  constructor(readonly port: number) {}
  get url() {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }
  private run(cmd: string[]): void {
    const [bin, ...args] = asPostgres(cmd);
    const r = spawnSync(bin!, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed: ${r.stderr || r.stdout}`);
  }
  async start(): Promise<void> {
    if (userInfo().uid === 0) chownSync(this.dir, uidOf('postgres'), gidOf('postgres'));
    this.run([pgBin('initdb'), '-D', join(this.dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']);
    const opts = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
    this.run([pgBin('pg_ctl'), '-D', join(this.dir, 'data'), '-o', opts, '-l', join(this.dir, 'log'), '-w', 'start']);
  }
  stop(): void {
    try {
      this.run([pgBin('pg_ctl'), '-D', join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
    } catch {
      /* already stopped */
    }
  }
  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function uidOf(user: string): number {
  return Number(spawnSync('id', ['-u', user], { encoding: 'utf8' }).stdout.trim());
}
function gidOf(user: string): number {
  return Number(spawnSync('id', ['-g', user], { encoding: 'utf8' }).stdout.trim());
}

export class FerretServer {
  private proc?: ChildProcess;
  readonly dir = mkdtempSync(join(tmpdir(), 'hc-ferret-'));
  constructor(
    readonly port: number,
    private readonly backend: { handler: 'postgresql'; url: string } | { handler: 'sqlite' },
  ) {}
  get url() {
    return `mongodb://127.0.0.1:${this.port}/`;
  }
  async start(): Promise<void> {
    const bin = findBinary([process.env.FERRETDB_BIN ?? '', '/opt/ferretdb/v1.24.2/ferretdb'], 'ferretdb');
    const backendArgs =
      this.backend.handler === 'postgresql'
        ? ['--handler=postgresql', `--postgresql-url=${this.backend.url}`]
        : ['--handler=sqlite', `--sqlite-url=file:${this.dir}/`];
    const args = [
      ...backendArgs,
      `--state-dir=${this.dir}`,
      `--listen-addr=127.0.0.1:${this.port}`,
      '--telemetry=disable',
      '--debug-addr=-',
      '--log-level=error',
    ];
    this.proc = spawn(bin, args, { stdio: 'ignore' });
    await waitFor('ferretdb', async () => {
      const c = new MongoClient(this.url, { serverSelectionTimeoutMS: 500 });
      try {
        await c.db('admin').command({ ping: 1 });
        return true;
      } finally {
        await c.close();
      }
    });
  }
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await killAndWait(this.proc, signal);
    this.proc = undefined;
  }
  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export async function killAndWait(proc: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill(signal);
  await exited;
}

/** The services of one test run. */
export interface Services {
  redisUrl: string;
  mongoUrl: string;
  /** present when the harness started them (fault tests need them) */
  redis?: RedisServer;
  ferret?: FerretServer;
  stop(): Promise<void>;
}

export async function startServices(env: NodeJS.ProcessEnv = process.env): Promise<Services> {
  let redis: RedisServer | undefined;
  let ferret: FerretServer | undefined;
  let pg: PostgresServer | undefined;
  try {
    if (!env.REDIS_URL) {
      redis = new RedisServer(await freePort());
      await redis.start();
    }
    if (!env.MONGO_URL) {
      const handler = env.FERRETDB_HANDLER === 'sqlite' ? 'sqlite' : 'postgresql';
      if (handler === 'postgresql') {
        pg = new PostgresServer(await freePort());
        await pg.start();
      }
      ferret = new FerretServer(await freePort(), pg ? { handler: 'postgresql', url: pg.url } : { handler: 'sqlite' });
      await ferret.start();
    }
  } catch (err) {
    await redis?.stop();
    await ferret?.stop();
    pg?.stop();
    throw err;
  }
  return {
    redisUrl: env.REDIS_URL ?? redis!.url,
    mongoUrl: env.MONGO_URL ?? ferret!.url,
    redis,
    ferret,
    async stop() {
      await redis?.stop();
      await ferret?.stop();
      pg?.stop();
      redis?.cleanup();
      ferret?.cleanup();
      pg?.cleanup();
    },
  };
}
