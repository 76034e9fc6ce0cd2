import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { ROOT } from '../paths.js';
import { COMPOSE_DIR, PROJECT_PREFIX, type Engine } from './engine.js';

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

export interface Running {
  done: Promise<Ran>;
  output(): string;
}

/** The three accounts db-init makes, and root. */
export type StackAccount = 'root' | 'admin' | 'writer' | 'reader';

/**
 * One compose project of the tests: the real docker-compose.yml (with the engine's overrides and
 * the test's access override), its own project name, and a folder holding its `.env` (made from
 * .env.template with generated passwords) and its data folder (DATA_DIR).
 */
export class ComposeProject {
  readonly name = `${PROJECT_PREFIX}${randomBytes(3).toString('hex')}`;
  readonly envFile: string;
  readonly dataDir: string;
  readonly settings: Record<string, string>;

  constructor(
    readonly engine: Engine,
    readonly dir: string,
    extra: Record<string, string> = {},
  ) {
    this.envFile = join(dir, '.env');
    this.dataDir = join(dir, 'data');
    mkdirSync(this.dataDir, { recursive: true });
    const secret = () => randomBytes(18).toString('hex');
    this.settings = {
      MONGO_ROOT_PASS: secret(),
      REDIS_PASSWORD: secret(),
      ADMIN_PASS: secret(),
      WRITER_PASS: secret(),
      READER_PASS: secret(),
      DASHBOARD_PASSWORD: secret(),
      HOST_UID: String(process.getuid?.() ?? 1000),
      HOST_GID: String(process.getgid?.() ?? 1000),
      DATA_DIR: this.dataDir,
      ...extra,
    };
    this.writeEnv();
  }

  /** .env.template with every setting of this project put in its place (or added at the end). */
  writeEnv(): void {
    let text = readFileSync(join(ROOT, '.env.template'), 'utf8');
    const missing: string[] = [];
    for (const [key, value] of Object.entries(this.settings)) {
      const line = new RegExp(`^#?\\s*${key}=.*$`, 'm');
      if (line.test(text)) text = text.replace(line, `${key}=${value}`);
      else missing.push(`${key}=${value}`);
    }
    writeFileSync(this.envFile, `${text}\n${missing.join('\n')}\n`, { mode: 0o600 });
  }

  private args(args: string[]): string[] {
    const files = [
      join(ROOT, 'docker-compose.yml'),
      ...this.engine.overrides,
      join(COMPOSE_DIR, 'docker-compose.access.yml'),
    ];
    return [
      ...this.engine.compose.slice(1),
      '--project-directory',
      ROOT,
      '-p',
      this.name,
      '--env-file',
      this.envFile,
      ...files.flatMap((f) => ['-f', f]),
      ...args,
    ];
  }

  /** Starts `compose <args>`; its output is kept, and printed by `done` callers on failure. */
  start(args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): Running {
    return startCommand([this.engine.compose[0]!, ...this.args(args)], { ...this.engine.env, ...opts.env });
  }

  run(args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<Ran> {
    return this.start(args, opts).done;
  }

  /** `compose <args>`, which must exit 0. */
  async ok(args: string[]): Promise<Ran> {
    const r = await this.run(args);
    if (r.code !== 0) throw new Error(`compose ${args.join(' ')} exited ${r.code}:\n${r.stderr.slice(-4000)}`);
    return r;
  }

  /** The engine's own CLI (kill, inspect, ps…). */
  cli(args: string[]): Promise<Ran> {
    return startCommand([...this.engine.cli, ...args], this.engine.env).done;
  }

  /** Names of the service's containers (running or not). */
  async containers(service: string): Promise<string[]> {
    const r = await this.cli([
      'ps',
      '-a',
      '--filter',
      `label=com.docker.compose.project=${this.name}`,
      '--filter',
      `label=com.docker.compose.service=${service}`,
      '--format',
      '{{.Names}}',
    ]);
    return r.stdout.split('\n').filter(Boolean).sort();
  }

  /** Everything of this project still on the engine: containers, networks, volumes. */
  async leftovers(): Promise<string[]> {
    const label = `label=com.docker.compose.project=${this.name}`;
    const out: string[] = [];
    for (const [what, args] of [
      ['container', ['ps', '-a', '--filter', label, '--format', '{{.Names}}']],
      ['network', ['network', 'ls', '--filter', label, '--format', '{{.Name}}']],
      ['volume', ['volume', 'ls', '--filter', label, '--format', '{{.Name}}']],
    ] as const) {
      const r = await this.cli([...args]);
      out.push(
        ...r.stdout
          .split('\n')
          .filter(Boolean)
          .map((n) => `${what} ${n}`),
      );
    }
    return out;
  }

  /** The host port the access override publishes MongoDB on (loopback). */
  async mongoPort(): Promise<number> {
    const r = await this.ok(['port', 'mongo', '27017']);
    const port = Number(/:(\d+)\s*$/.exec(r.stdout.trim())?.[1]);
    if (!port) throw new Error(`no published MongoDB port: ${r.stdout}`);
    return port;
  }

  /** A connection as one of the stack's accounts, through the published port. */
  async client(account: StackAccount): Promise<MongoClient> {
    const db = this.settings.DB_NAME ?? 'healthcare';
    const [user, pass, source] =
      account === 'root'
        ? [this.settings.MONGO_ROOT_USER ?? 'root', this.settings.MONGO_ROOT_PASS!, 'admin']
        : [account, this.settings[`${account.toUpperCase()}_PASS`]!, db];
    const url = `mongodb://${user}:${pass}@127.0.0.1:${await this.mongoPort()}/${db}?authSource=${source}&directConnection=true`;
    return new MongoClient(url, { serverSelectionTimeoutMS: 30_000 });
  }
}

/** Runs a command with its output kept, timed. */
export function startCommand(argv: string[], env: NodeJS.ProcessEnv): Running {
  const started = Date.now();
  const child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Ran>((resolve) => {
    child.on('error', (err) => resolve({ code: null, stdout, stderr: `${stderr}${err.message}`, seconds: 0 }));
    child.on('close', (code) => resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 }));
  });
  return { done, output: () => `${stdout}${stderr}` };
}
