/** Where the set-up (scripts/lib/setup.mjs) installs the servers' binaries, and finding one. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT, STATE_HOME } from './paths.js';
import { VERSIONS } from './versions.js';

/** The virtualenv holding SecantusDB (SECANTUS_VENV to use another). */
export function secantusVenv(env: NodeJS.ProcessEnv = process.env): string {
  return env.SECANTUS_VENV
    ? resolve(ROOT, env.SECANTUS_VENV)
    : join(STATE_HOME, 'tools', `secantus-${VERSIONS.secantus}`);
}

/** secantusd-py as the set-up installs it (what npm start runs). */
export function secantusdInVenv(env: NodeJS.ProcessEnv = process.env): string {
  return join(secantusVenv(env), 'bin', 'secantusd-py');
}

/** Toxiproxy's server binary, as the set-up installs it for the tests (TOXIPROXY_BIN to use another). */
export function toxiproxyBin(env: NodeJS.ProcessEnv = process.env): string {
  return env.TOXIPROXY_BIN
    ? resolve(ROOT, env.TOXIPROXY_BIN)
    : join(STATE_HOME, 'tools', `toxiproxy-${VERSIONS.toxiproxy}`, 'toxiproxy-server');
}

/** Docker Compose v2 as the set-up builds it for npm run test:compose on podman (COMPOSE_BIN to use another). */
export function composeBin(env: NodeJS.ProcessEnv = process.env): string {
  return env.COMPOSE_BIN
    ? resolve(ROOT, env.COMPOSE_BIN)
    : join(STATE_HOME, 'tools', `compose-${VERSIONS.compose}`, 'docker-compose');
}

/** The first of `candidates` that exists, else `name` on PATH; fails saying how to install it. */
export function findBinary(candidates: string[], name: string): string {
  for (const c of candidates) if (c && existsSync(c)) return c;
  const which = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  throw new Error(`${name} not found: run npm run setup -- --for test (or set REDIS_URL and MONGO_URL)`);
}
