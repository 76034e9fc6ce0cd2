/**
 * The processes one `npm start` runs (or adopted from an earlier --keep): the servers, the
 * workers and the dashboard, the load in the foreground, and the order they stop in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, shown } from '../paths.js';
import type { Credentials } from './credentials.js';
import { startLocalRedis, startLocalSecantus, type ServiceHost } from './localServers.js';
import { isAlive, startDetached, stopAll, tail, type ProcessRecord } from './processRecord.js';
import { say } from './say.js';
import { clearRunning, writeState, type StackState } from './stackState.js';

export interface StackUrls {
  /** REDIS_URL of the processes ('' when adopted) */
  redis: string;
  /** the MongoDB account that may create users ('' when adopted) */
  mongoRoot: string;
  dashboard: string;
}

export interface ServicesOptions {
  env: NodeJS.ProcessEnv;
  creds: Credentials;
  redisPort?: number;
  mongoPort?: number;
  ownRedis: boolean;
  ownMongo: boolean;
}

type Shown = Pick<StackState, 'redisUrlShown' | 'mongoShown' | 'dashboardUrl'>;

/** The processes this run started (or adopted from --keep), in the order they must stop. */
export class Stack implements ServiceHost {
  services: ProcessRecord[] = [];
  apps: ProcessRecord[] = [];
  private readonly children = new Map<number, ChildProcess>();
  private load: ChildProcess | undefined;
  interrupted = false;
  stopping = false;
  private failed = false;
  private adopted = false;
  private shown: Shown = { redisUrlShown: '', mongoShown: '', dashboardUrl: '' };

  constructor(readonly dir: string) {}

  adopt(state: StackState): void {
    this.adopted = true;
    this.shown = { redisUrlShown: state.redisUrlShown, mongoShown: state.mongoShown, dashboardUrl: state.dashboardUrl };
  }

  startService(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv): ProcessRecord {
    return this.start(this.services, name, cmd, args, { env, cwd: this.dir });
  }

  forgetService(rec: ProcessRecord): void {
    this.services = this.services.filter((r) => r !== rec);
  }

  /** A Node process of the checkout: `args[0]` is its script, relative to the checkout. */
  startApp(name: string, args: string[], env: NodeJS.ProcessEnv): ProcessRecord {
    const [script = '', ...rest] = args;
    return this.start(this.apps, name, process.execPath, [join(ROOT, script), ...rest], { env, cwd: ROOT });
  }

  private start(
    list: ProcessRecord[],
    name: string,
    cmd: string,
    args: string[],
    o: { env: NodeJS.ProcessEnv; cwd: string },
  ): ProcessRecord {
    if (this.stopping) throw new Error('interrupted');
    const { child, rec } = startDetached(name, cmd, args, { ...o, log: join(this.dir, 'logs', `${name}.log`) });
    list.push(rec);
    this.children.set(rec.pid, child);
    this.save();
    return rec;
  }

  /** Redis and SecantusDB (unless given by REDIS_URL / MONGO_URL), each waited for. */
  async startServices(o: ServicesOptions): Promise<StackUrls> {
    const env = { ...o.env, HCINGEST_STACK: this.dir };
    let redis = o.env.REDIS_URL ?? '';
    this.shown.redisUrlShown = 'REDIS_URL';
    if (o.ownRedis) {
      const started = await startLocalRedis(this, { env, creds: o.creds, port: o.redisPort });
      redis = started.url;
      this.shown.redisUrlShown = `redis://127.0.0.1:${started.port}`;
    }
    let mongoRoot = o.env.MONGO_URL ?? '';
    this.shown.mongoShown = 'MONGO_URL';
    if (o.ownMongo) {
      const started = await startLocalSecantus(this, { env, creds: o.creds, port: o.mongoPort });
      mongoRoot = started.url;
      this.shown.mongoShown = `127.0.0.1:${started.port}`;
    }
    return { redis, mongoRoot, dashboard: '' };
  }

  save(urls?: { dashboard?: string }): void {
    if (urls?.dashboard) this.shown.dashboardUrl = urls.dashboard;
    this.writeState(false);
  }

  private writeState(kept: boolean): void {
    writeState(this.dir, { ownerPid: process.pid, kept, ...this.shown, services: this.services, apps: this.apps });
  }

  /** A worker, the dashboard or a server that dies while the load runs stops the load: it would wait forever. */
  watch(): void {
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

  /** enqueue --wait of the file in the foreground; resolves with its exit code. */
  runLoad(file: string, env: NodeJS.ProcessEnv): Promise<number> {
    return new Promise((resolvePromise) => {
      // Own process group too: the one Ctrl-C reaches it through this script, exactly once.
      const load = spawn(
        process.execPath,
        ['--max-old-space-size=256', join(ROOT, 'producer/dist/cli/enqueue.js'), file, '--wait'],
        { cwd: process.cwd(), env, stdio: 'inherit', detached: true },
      );
      this.load = load;
      load.on('exit', (code, sig) => {
        this.load = undefined;
        resolvePromise(code ?? (sig ? 130 : 1));
      });
    });
  }

  /** First Ctrl-C / SIGTERM: stop the load (resumable) and everything started. Second: at once. */
  async interrupt(sig: NodeJS.Signals): Promise<void> {
    if (this.interrupted) {
      say('stopping at once (second signal)');
      this.stopping = true;
      this.load?.kill('SIGKILL');
      if (!this.adopted) {
        for (const rec of [...this.apps, ...this.services]) if (isAlive(rec)) process.kill(rec.pid, 'SIGKILL');
        clearRunning(this.dir);
      }
      process.exit(130);
    }
    this.interrupted = true;
    say(
      `${sig}: stopping the load (resumable: run the same command again) and the stack (a second ${sig} stops at once)`,
    );
    if (this.load) {
      this.load.kill('SIGINT');
      return; // the start continues when the load exits, then stops the stack
    }
    process.exit(await this.finish(130));
  }

  /** Stops what this run started, apps first, then the servers. */
  async finish(code: number): Promise<number> {
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
  keepRunning(): void {
    this.stopping = true;
    if (this.adopted) return;
    for (const child of this.children.values()) child.unref();
    this.writeState(true);
  }
}
