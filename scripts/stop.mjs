#!/usr/bin/env node
// @ts-check
/**
 * npm run stop: stops the local stack of `npm start` (one left running by --keep, or the stack of
 * an npm start still running, which is asked to stop as Ctrl-C would). Nothing to stop is no error.
 */
import { parseArgs } from 'node:util';
import { shown, stackDir } from './lib/paths.mjs';
import { isAlive, sleep, stopAll } from './lib/processes.mjs';
import { clearRunning, liveProcesses, readDotEnv, readState } from './lib/state.mjs';

const USAGE = `Usage: npm run stop

Stops the local stack that npm start runs (or left running with --keep): the workers and the
dashboard first (in-flight chunks finish), then Redis and SecantusDB. Their data stays in
.hcingest/stack (LOCAL_STACK_DIR) for the next npm start. Exit 0 also when nothing runs.`;

/** @param {string} line */
const say = (line) => process.stderr.write(`stop: ${line}\n`);

try {
  const { values } = parseArgs({ options: { help: { type: 'boolean', short: 'h', default: false } } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
} catch (err) {
  process.stderr.write(`stop: ${/** @type {Error} */ (err).message}\n\n${USAGE}\n`);
  process.exit(2);
}

const env = { ...process.env };
readDotEnv(env);
const dir = stackDir(env);
const state = readState(dir);
if (!state) {
  say(`no local stack is running (${shown(dir)})`);
  process.exit(0);
}
const owner = { pid: state.ownerPid, startTime: null };
if (!state.kept && isAlive(owner)) {
  // A running npm start stops its own stack in order, as on Ctrl-C.
  say(`asking npm start (pid ${state.ownerPid}) to stop its load and stack`);
  process.kill(state.ownerPid, 'SIGTERM');
  const deadline = Date.now() + 120_000;
  while (isAlive(owner) && Date.now() < deadline) await sleep(200);
}
const apps = state.apps.filter(isAlive);
const services = state.services.filter(isAlive);
if (apps.length + services.length) {
  say(`stopping ${[...apps, ...services].map((p) => p.name).join(', ')}`);
  const grace = Number(env.SHUTDOWN_GRACE_MS ?? 30_000) + 5_000;
  const killed = [...(await stopAll(apps, 'SIGTERM', grace)), ...(await stopAll(services, 'SIGTERM', 20_000))];
  if (killed.length) say(`killed after the grace period: ${killed.join(', ')}`);
}
const left = liveProcesses(state);
if (left.length) {
  say(`still running: ${left.map((p) => `${p.name} (pid ${p.pid})`).join(', ')}`);
  process.exit(1);
}
clearRunning(dir);
say(`stopped; the data stays in ${shown(dir)}`);
