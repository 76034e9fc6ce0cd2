#!/usr/bin/env node
// @ts-check
/**
 * npm run setup [-- --for start|stop|test|compose]: sets up this machine for npm start (which runs it
 * first; --for stop, what npm run stop runs first: the Node part alone; --for test, npm test, which
 * runs it first; --for compose, npm run test:compose): redis-server, SecantusDB, npm ci and the
 * build, each only when missing or stale (scripts/lib/setup.mjs).
 */
import { parseArgs } from 'node:util';
import { readDotEnv } from './lib/dotEnv.mjs';
import { VERSIONS } from './lib/paths.mjs';
import { SetupError, setUp } from './lib/setup.mjs';

const USAGE = `Usage: npm run setup [-- --for start|stop|test|compose]

Installs what is missing, idempotently (a second run takes about a second): redis-server (apt),
SecantusDB ${'(pip, into .hcingest/tools)'}, the Node dependencies (npm ci, when node_modules is
missing or older than package-lock.json) and the build. --for test (what npm test runs first) also
installs Chromium for the dashboard's browser test and Toxiproxy (go install, into .hcingest/tools) for
the network-partition fault tests. With MONGO_URL set SecantusDB is not installed;
with REDIS_URL set redis-server is not installed for npm start (the tests always need it); both
are read from the environment or .env, as npm start reads them. --for stop (what npm run stop runs
first) installs the Node dependencies and builds, nothing else.
--for compose (what npm run test:compose runs first) also sets up a container engine: with a Docker
engine answering (or COMPOSE_ENGINE=docker) only its compose plugin is checked; otherwise podman,
runc, netavark, aardvark-dns, iptables and debootstrap (apt) and Docker Compose v${VERSIONS.compose} (built
with Go into .hcingest/tools; COMPOSE_BIN to use another).`;

let forWhat = 'start';
try {
  const { values } = parseArgs({
    options: { for: { type: 'string', default: 'start' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  forWhat = values.for ?? 'start';
  if (!['start', 'stop', 'test', 'compose'].includes(forWhat))
    throw new Error(`--for must be start, stop, test or compose, got "${forWhat}"`);
} catch (err) {
  process.stderr.write(`setup: ${/** @type {Error} */ (err).message}\n\n${USAGE}\n`);
  process.exit(2);
}

try {
  const tests = forWhat === 'test' || forWhat === 'compose';
  const servers = forWhat !== 'stop';
  // npm start uses the REDIS_URL / MONGO_URL of the environment or of .env.
  const env = { ...process.env };
  if (forWhat === 'start') readDotEnv(env);
  // The tests start private redis-servers of their own (passwords, restarts) even with REDIS_URL;
  // with MONGO_URL (the compose test service: MongoDB itself) they need no SecantusDB.
  await setUp({
    redis: servers && (tests || !env.REDIS_URL),
    store: servers && !env.MONGO_URL,
    browser: tests,
    toxiproxy: tests,
    compose: forWhat === 'compose',
  });
} catch (err) {
  process.stderr.write(`setup: ${err instanceof SetupError ? '' : 'failed: '}${/** @type {Error} */ (err).message}\n`);
  process.exit(1);
}
