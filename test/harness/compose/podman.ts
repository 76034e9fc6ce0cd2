import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../paths.js';
import { killAndWait } from '../services.js';

const execFileP = promisify(execFile);

/**
 * A private podman for the compose tests: its own configuration, image store, networks and Docker
 * API socket, so nothing of the machine's podman set-up is used or changed.
 *
 * What this machine needs (issue #16): runc (crun fails on hybrid cgroups), cgroupfs (no systemd),
 * no default ulimits (setrlimit RLIMIT_NPROC is refused in the sandbox). The image store lives in
 * .hcingest/podman (kept between runs: the stand-in images and the build cache), the run-time state
 * in a short path under the temporary folder (podman's sockets have a length limit).
 */
export class Podman {
  readonly home = join(ROOT, '.hcingest', 'podman');
  readonly runRoot = join(tmpdir(), `hcingest-podman-${createHash('sha256').update(ROOT).digest('hex').slice(0, 10)}`);
  readonly socket = join(this.runRoot, 'docker-api.sock');
  private service?: ChildProcess;

  constructor() {
    mkdirSync(this.home, { recursive: true });
    mkdirSync(this.runRoot, { recursive: true });
    writeFileSync(
      this.containersConf,
      [
        '# Written by test/harness/compose/podman.ts for npm run test:compose.',
        '[containers]',
        'default_ulimits = []',
        '[engine]',
        'runtime = "runc"',
        'cgroup_manager = "cgroupfs"',
        'events_logger = "file"',
        `events_logfile_path = "${join(this.runRoot, 'events.log')}"`,
        `tmp_dir = "${join(this.runRoot, 'libpod')}"`,
        `volume_path = "${join(this.home, 'volumes')}"`,
        '[network]',
        'network_backend = "netavark"',
        `network_config_dir = "${join(this.home, 'networks')}"`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      this.storageConf,
      [
        '[storage]',
        'driver = "overlay"',
        `graphroot = "${join(this.home, 'storage')}"`,
        `runroot = "${join(this.runRoot, 'storage')}"`,
        '',
      ].join('\n'),
    );
  }

  get containersConf(): string {
    return join(this.home, 'containers.conf');
  }
  get storageConf(): string {
    return join(this.home, 'storage.conf');
  }

  /** The environment every podman command of this instance runs with. */
  get env(): NodeJS.ProcessEnv {
    return { ...process.env, CONTAINERS_CONF: this.containersConf, CONTAINERS_STORAGE_CONF: this.storageConf };
  }

  /** Runs podman; rejects with its stderr when it fails. */
  async run(args: string[], opts: { maxBuffer?: number } = {}): Promise<string> {
    try {
      const { stdout } = await execFileP('podman', args, {
        env: this.env,
        encoding: 'utf8',
        maxBuffer: opts.maxBuffer ?? 64 * 1024 * 1024,
      });
      return stdout;
    } catch (err) {
      const e = err as Error & { stderr?: string };
      throw new Error(`podman ${args.slice(0, 3).join(' ')} failed: ${(e.stderr ?? e.message).trim().slice(-2000)}`);
    }
  }

  private get pidFile(): string {
    return join(this.runRoot, 'service.pid');
  }

  /**
   * Stops the service an interrupted run left behind: the process its pid file names, if that
   * process still serves this socket (a pid reused by another process is left alone).
   */
  private async stopLeftService(): Promise<void> {
    if (!existsSync(this.pidFile)) return;
    const pid = Number(readFileSync(this.pidFile, 'utf8'));
    const cmdline = (() => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        return '';
      }
    })();
    if (pid > 0 && cmdline.includes(this.socket)) {
      process.kill(pid, 'SIGTERM');
      for (let i = 0; i < 100 && existsSync(`/proc/${pid}`); i++) await new Promise((r) => setTimeout(r, 100));
    }
    rmSync(this.pidFile, { force: true });
  }

  /** Starts `podman system service` on the private socket and waits until it answers the Docker API. */
  async startService(): Promise<void> {
    await this.stopLeftService();
    const log = join(this.home, 'service.log');
    const fd = openSync(log, 'w');
    try {
      this.service = spawn('podman', ['system', 'service', '--time=0', `unix://${this.socket}`], {
        env: this.env,
        stdio: ['ignore', fd, fd],
      });
    } finally {
      closeSync(fd);
    }
    const service = this.service;
    writeFileSync(this.pidFile, String(service.pid));
    // However this process ends (a failed hook, process.exit), the service ends with it.
    process.once('exit', () => service.exitCode === null && service.kill('SIGTERM'));
    const deadline = Date.now() + 60_000;
    while (!(await this.pings())) {
      if (service.exitCode !== null)
        throw new Error(
          `podman system service exited (${service.exitCode}):\n${readFileSync(log, 'utf8').slice(-2000)}`,
        );
      if (Date.now() > deadline) throw new Error(`podman system service did not answer on ${this.socket} within 60 s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Stops the service this instance started, by its process. */
  async stopService(): Promise<void> {
    await killAndWait(this.service, 'SIGTERM');
    this.service = undefined;
    rmSync(this.pidFile, { force: true });
  }

  /**
   * Removes the containers, networks and volumes of compose projects named `prefix…` that an
   * interrupted test run left in this private store.
   */
  async removeProjects(prefix: string): Promise<string[]> {
    const projects = new Set<string>();
    for (const args of [
      ['ps', '-a', '--format', 'json'],
      ['network', 'ls', '--format', 'json'],
      ['volume', 'ls', '--format', 'json'],
    ]) {
      const items = JSON.parse((await this.run(args)) || '[]') as Record<string, unknown>[];
      for (const item of items) {
        const labels = (item.Labels ?? item.labels ?? {}) as Record<string, string>;
        const name = labels['com.docker.compose.project'];
        if (name?.startsWith(prefix)) projects.add(name);
      }
    }
    for (const name of projects) {
      const filter = `label=com.docker.compose.project=${name}`;
      const ids = (await this.run(['ps', '-aq', '--filter', filter])).split('\n').filter(Boolean);
      if (ids.length) await this.run(['rm', '-f', '-v', ...ids]);
      await this.run(['network', 'prune', '-f', '--filter', filter]);
      await this.run(['volume', 'prune', '-f', '--filter', filter]);
    }
    return [...projects];
  }

  get servicePid(): number | undefined {
    return this.service?.pid;
  }

  private pings(): Promise<boolean> {
    return new Promise((resolve) => {
      const req = request({ socketPath: this.socket, path: '/_ping', timeout: 2000 }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
      req.on('timeout', () => req.destroy());
      req.end();
    });
  }
}

/**
 * podman 4.3 runs healthchecks from systemd timers, and there is no systemd here: a container's
 * health would stay `starting`, and compose's `depends_on: service_healthy` wait forever. This loop
 * runs every running container's healthcheck every `intervalMs` instead (podman healthcheck run
 * keeps the health state, its failing streak and the start period, as the timer would).
 */
export class HealthcheckDriver {
  private timer?: NodeJS.Timeout;
  private tick?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly podman: Podman,
    private readonly intervalMs = 2000,
  ) {}

  start(): void {
    const loop = async () => {
      if (this.stopped) return;
      this.tick = this.runChecks();
      await this.tick;
      if (!this.stopped) this.timer = setTimeout(() => void loop(), this.intervalMs);
    };
    void loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.tick;
  }

  private async runChecks(): Promise<void> {
    const ids = new Set<string>();
    for (const health of ['starting', 'healthy', 'unhealthy']) {
      const out = await this.podman.run(['ps', '-q', '--filter', `health=${health}`]).catch(() => '');
      for (const id of out.split('\n').filter(Boolean)) ids.add(id);
    }
    // A container may stop between the listing and its check: that failure means nothing.
    await Promise.all([...ids].map((id) => this.podman.run(['healthcheck', 'run', id]).catch(() => undefined)));
  }
}
