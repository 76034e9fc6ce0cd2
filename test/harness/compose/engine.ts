import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { composeBin } from '@hcingest/devstack';
import { ROOT } from '../paths.js';
import { ApiProxy } from './apiProxy.js';
import { HealthcheckDriver, Podman } from './podman.js';
import { ensureStandins } from './standins.js';

const execFileP = promisify(execFile);

/**
 * The container engine the compose tests run the stack on:
 * - `docker`: Docker's own engine and `docker compose`, the real images, no stand-ins;
 * - `podman`: a private podman service speaking the Docker API to Docker Compose v2 (built by
 *   `npm run setup -- --for compose`), a healthcheck driver, and the stand-in images.
 * COMPOSE_ENGINE chooses; unset, Docker when a Docker engine answers, else podman (as the set-up).
 */
export interface Engine {
  readonly kind: 'docker' | 'podman';
  /** compose's command line before its arguments */
  readonly compose: readonly string[];
  /** the engine's own command line (kill, inspect, ps, volume ls…), Docker's CLI or podman */
  readonly cli: readonly string[];
  /** the environment compose and the CLI run with (DOCKER_HOST, podman's configuration) */
  readonly env: NodeJS.ProcessEnv;
  /** compose files laid over docker-compose.yml on this engine */
  readonly overrides: readonly string[];
  /** processes the engine runs on this machine for the tests (none with Docker) */
  readonly pids: readonly number[];
  stop(): Promise<void>;
}

export const COMPOSE_DIR = join(ROOT, 'test', 'compose');

/** The tests' compose projects are named this, then random letters. */
export const PROJECT_PREFIX = 'hctest';

async function dockerAnswers(): Promise<boolean> {
  return execFileP('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 10_000 }).then(
    () => true,
    () => false,
  );
}

export async function engineKind(): Promise<'docker' | 'podman'> {
  const chosen = process.env.COMPOSE_ENGINE;
  if (chosen === 'docker' || chosen === 'podman') return chosen;
  if (chosen) throw new Error(`COMPOSE_ENGINE must be docker or podman, got "${chosen}"`);
  return (await dockerAnswers()) ? 'docker' : 'podman';
}

/** The environment compose runs with: the machine's PATH and HOME, none of the application's settings. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'USER', 'LANG', 'TMPDIR', 'DOCKER_CONFIG'])
    if (process.env[key] !== undefined) env[key] = process.env[key];
  return env;
}

export async function startEngine(): Promise<Engine> {
  const kind = await engineKind();
  if (kind === 'docker') {
    if (!(await dockerAnswers())) throw new Error('COMPOSE_ENGINE=docker, but no Docker engine answers `docker info`');
    const env = { ...baseEnv(), ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}) };
    return {
      kind,
      compose: ['docker', 'compose'],
      cli: ['docker'],
      env,
      overrides: [],
      pids: [],
      stop: async () => {},
    };
  }
  const bin = composeBin();
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run npm run setup -- --for compose`);
  const podman = new Podman();
  await ensureStandins(podman);
  await podman.startService();
  const left = await podman.removeProjects(PROJECT_PREFIX);
  if (left.length) process.stderr.write(`      removed what an interrupted run left: ${left.join(', ')}\n`);
  const proxy = new ApiProxy(`${podman.socket}.mended`, podman.socket);
  await proxy.start();
  const health = new HealthcheckDriver(podman);
  health.start();
  cleanUpOnSignal(podman);
  return {
    kind,
    compose: [bin],
    cli: ['podman'],
    env: {
      ...baseEnv(),
      CONTAINERS_CONF: podman.containersConf,
      CONTAINERS_STORAGE_CONF: podman.storageConf,
      // Through the proxy that gives network IDs where podman 4 gives names (apiProxy.ts).
      DOCKER_HOST: `unix://${proxy.socket}`,
      // Compose would otherwise build with BuildKit in a container pulled from a registry: the
      // classic builder is podman's own (buildah).
      DOCKER_BUILDKIT: '0',
      COMPOSE_BAKE: 'false',
    },
    overrides: [join(COMPOSE_DIR, 'docker-compose.standins.yml')],
    pids: [podman.servicePid!, proxy.pid!],
    async stop() {
      await health.stop();
      await proxy.stop();
      await podman.stopService();
    },
  };
}

/**
 * Ctrl-C (or a CI's SIGTERM) in the middle of the tests: the tests' stacks are removed, then the
 * process exits 130, and its exit handlers stop the podman service and the proxy. Without this the
 * stack's containers would run on (conmon keeps them) until the next run removed them.
 */
function cleanUpOnSignal(podman: Podman): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n      ${signal}: removing the test stacks and stopping podman\n`);
      const guard = setTimeout(() => process.exit(130), 60_000);
      void podman
        .removeProjects(PROJECT_PREFIX)
        .catch(() => [])
        .finally(() => {
          clearTimeout(guard);
          process.exit(130);
        });
    });
  }
}
