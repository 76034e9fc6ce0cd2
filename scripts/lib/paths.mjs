// @ts-check
/**
 * Where the set-up installs its tools (under the git-ignored .hcingest/). Plain Node: the set-up runs
 * before npm ci; what runs after the build reads the same places through devstack (tools.ts).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout (this file is scripts/lib/paths.mjs). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The state folder: tools installed by the set-up, and the local stack's data. */
export const STATE_HOME = join(ROOT, '.hcingest');

/** @type {{ secantus: string, toxiproxy: string, compose: string }} */
export const VERSIONS = JSON.parse(readFileSync(join(ROOT, 'scripts/lib/versions.json'), 'utf8'));

/** The virtualenv holding SecantusDB (SECANTUS_VENV to use another). */
export function secantusVenv(env = process.env) {
  return env.SECANTUS_VENV
    ? resolve(ROOT, env.SECANTUS_VENV)
    : join(STATE_HOME, 'tools', `secantus-${VERSIONS.secantus}`);
}

/** Toxiproxy's server binary, as the set-up installs it for the tests (TOXIPROXY_BIN to use another). */
export function toxiproxyBin(env = process.env) {
  return env.TOXIPROXY_BIN
    ? resolve(ROOT, env.TOXIPROXY_BIN)
    : join(STATE_HOME, 'tools', `toxiproxy-${VERSIONS.toxiproxy}`, 'toxiproxy-server');
}

/** Docker Compose v2 as the set-up builds it for npm run test:compose on podman (COMPOSE_BIN to use another). */
export function composeBin(env = process.env) {
  return env.COMPOSE_BIN
    ? resolve(ROOT, env.COMPOSE_BIN)
    : join(STATE_HOME, 'tools', `compose-${VERSIONS.compose}`, 'docker-compose');
}

/**
 * The engine npm run test:compose runs the stack on: COMPOSE_ENGINE (docker or podman), else
 * Docker when a Docker engine answers `docker info`, else podman (with stand-in images).
 * @returns {'docker' | 'podman'}
 */
export function composeEngine(env = process.env) {
  const chosen = env.COMPOSE_ENGINE;
  if (chosen === 'docker' || chosen === 'podman') return chosen;
  if (chosen) throw new Error(`COMPOSE_ENGINE must be docker or podman, got "${chosen}"`);
  const r = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'ignore', timeout: 10_000 });
  return r.status === 0 ? 'docker' : 'podman';
}

/** A path as the user should read it: relative to the checkout when inside it. @param {string} path */
export function shown(path) {
  return path.startsWith(`${ROOT}/`) ? path.slice(ROOT.length + 1) : path;
}
