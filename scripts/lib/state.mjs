// @ts-check
/**
 * The local stack's files in its folder (.hcingest/stack by default), all private to the user:
 *   credentials.env  generated passwords (mode 0600), made once, kept until --reset
 *   stack.json       the running stack: its processes and ports (gone once it is stopped)
 *   writer.env, reader.env  settings for commands run against the running stack (ENV_FILE=…)
 *   redis/ mongo/    the data;  logs/  one log file per process
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { isAlive } from './processes.mjs';

/** @param {string} path @param {string} text */
export function writePrivate(path, text) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** @param {string} dir */
export function ensureDirs(dir) {
  for (const sub of ['', 'redis', 'mongo', 'logs']) mkdirSync(join(dir, sub), { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/**
 * @typedef {object} Credentials
 * @property {string} MONGO_ROOT_PASS @property {string} ADMIN_PASS @property {string} WRITER_PASS
 * @property {string} READER_PASS @property {string} REDIS_PASSWORD
 * @property {string} DASHBOARD_USER @property {string} DASHBOARD_PASSWORD
 */

/** Reads the stack's passwords, generating them on first use. @param {string} dir @returns {Credentials} */
export function credentials(dir) {
  const path = join(dir, 'credentials.env');
  if (existsSync(path)) {
    chmodSync(path, 0o600);
    return /** @type {Credentials} */ (/** @type {unknown} */ (parseEnv(readFileSync(path, 'utf8'))));
  }
  // Letters and digits only: they go into connection URLs unescaped.
  const secret = () => randomBytes(18).toString('hex');
  /** @type {Credentials} */
  const creds = {
    MONGO_ROOT_PASS: secret(),
    ADMIN_PASS: secret(),
    WRITER_PASS: secret(),
    READER_PASS: secret(),
    REDIS_PASSWORD: secret(),
    DASHBOARD_USER: 'admin',
    DASHBOARD_PASSWORD: secret(),
  };
  writePrivate(
    path,
    '# Passwords of the local stack (npm start), generated once; `npm start -- --reset` makes new ones.\n' +
      '# MongoDB: root (user root, created first), and the accounts of db:init on DB_NAME: admin, writer, reader.\n' +
      Object.entries(creds)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n') +
      '\n',
  );
  return creds;
}

/**
 * @typedef {import('./processes.mjs').ProcessRecord} ProcessRecord
 * @typedef {object} StackState
 * @property {number} ownerPid     the npm start that runs it
 * @property {boolean} kept        left running (--keep): stopped by npm run stop
 * @property {string} redisUrlShown  without password
 * @property {string} mongoShown     host:port
 * @property {string} dashboardUrl
 * @property {ProcessRecord[]} services   redis, mongo (stopped last)
 * @property {ProcessRecord[]} apps       workers, dashboard (stopped first)
 */

/** @param {string} dir */
export const statePath = (dir) => join(dir, 'stack.json');

/** @param {string} dir @returns {StackState | undefined} */
export function readState(dir) {
  try {
    return JSON.parse(readFileSync(statePath(dir), 'utf8'));
  } catch {
    return undefined;
  }
}

/** @param {string} dir @param {StackState} state */
export function writeState(dir, state) {
  writePrivate(statePath(dir), `${JSON.stringify(state, null, 2)}\n`);
}

/** @param {StackState} state */
export const liveProcesses = (state) => [...state.apps, ...state.services].filter(isAlive);

/** Removes what only a running stack has: its state and the settings files pointing at it. @param {string} dir */
export function clearRunning(dir) {
  for (const name of ['stack.json', 'writer.env', 'reader.env']) rmSync(join(dir, name), { force: true });
}

/**
 * Reads the settings file the commands read (ENV_FILE, default .env in the working directory),
 * the environment winning: the same rule as shared/src/config/envFile.ts, which cannot be loaded before
 * the first build. @param {NodeJS.ProcessEnv} env
 */
export function readDotEnv(env) {
  const name = env.ENV_FILE ?? '.env';
  if (name === 'off' || name === '') return undefined;
  const path = resolve(process.cwd(), name);
  if (!existsSync(path)) {
    if (env.ENV_FILE !== undefined) throw new Error(`ENV_FILE: cannot read ${path} (ENOENT)`);
    return undefined;
  }
  for (const [k, v] of Object.entries(parseEnv(readFileSync(path, 'utf8')))) if (env[k] === undefined) env[k] = v;
  return path;
}
