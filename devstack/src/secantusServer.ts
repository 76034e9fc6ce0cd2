import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { killAndWait, SERVER_STOP_GRACE_MS } from './killAndWait.js';
import { findBinary, secantusdInVenv } from './tools.js';
import { waitReady } from './wait.js';

/** secantusd-py's command line: on 127.0.0.1:port, data in storagePath, with --auth or not. */
export function secantusArgs(o: { port: number; storagePath: string; auth: boolean; extra?: string[] }): string[] {
  return [
    '--host',
    '127.0.0.1',
    '--port',
    String(o.port),
    '--storage-path',
    o.storagePath,
    '--log-level',
    'WARNING',
    ...(o.extra ?? []),
    ...(o.auth ? ['--auth'] : []),
  ];
}

/** The readiness probe of a MongoDB-wire server: whether `url` answers ping. */
export async function mongoAnswers(url: string, serverSelectionTimeoutMS = 1000): Promise<boolean> {
  const c = new MongoClient(url, { serverSelectionTimeoutMS });
  try {
    await c.db('admin').command({ ping: 1 });
    return true;
  } finally {
    await c.close();
  }
}

/**
 * SecantusDB's provisioning: the root account, made on a first start without auth (as
 * secantusd-py --help says); the server then runs with --auth from there on.
 */
export async function createRootAccount(port: number, root: { user: string; password: string }): Promise<void> {
  const c = new MongoClient(`mongodb://127.0.0.1:${port}/`, { serverSelectionTimeoutMS: 5000 });
  try {
    await c.db('admin').command({ createUser: root.user, pwd: root.password, roles: [{ role: 'root', db: 'admin' }] });
  } finally {
    await c.close();
  }
}

/**
 * SecantusDB, a MongoDB wire-protocol server on WiredTiger, as the test store. It runs with
 * `--auth` on a storage directory of its own: a root account is provisioned on a first start
 * without auth, then it is restarted with --auth, so every test meets real SCRAM authentication
 * and MongoDB's built-in roles. The storage directory survives stop/kill/start, which the fault
 * tests use. SECANTUSD_BIN runs another secantusd-py than the set-up's.
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
    await createRootAccount(this.port, this.root);
    await this.stop();
    await this.start();
  }

  /** Starts (again) on the same storage path, with --auth unless told otherwise. */
  async start(opts: { auth?: boolean } = {}): Promise<void> {
    this.authOn = opts.auth ?? true;
    const bin = findBinary([process.env.SECANTUSD_BIN ?? '', secantusdInVenv()], 'secantusd-py');
    const args = secantusArgs({ port: this.port, storagePath: this.storagePath, auth: this.authOn });
    this.log = '';
    const proc = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr!.on('data', (d: Buffer) => (this.log = (this.log + d.toString()).slice(-4000)));
    this.proc = proc;
    const url = this.authOn ? this.url : `mongodb://127.0.0.1:${this.port}/`;
    await waitReady('secantusd-py', () => mongoAnswers(url, 500), {
      timeoutMs: 60_000,
      givenUp: () => (proc.exitCode === null ? undefined : `secantusd-py exited with ${proc.exitCode}: ${this.log}`),
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
