#!/usr/bin/env node
/** npm run stop: stops the local stack npm start runs (or left running with --keep). */
import { parseArgs } from 'node:util';
import { loadEnvFile } from '@hcingest/shared';
import { shown, stackDir } from '../paths.js';
import { isAlive, stopAll } from '../stack/processRecord.js';
import { clearRunning, liveProcesses, readState, type StackState } from '../stack/stackState.js';
import { sleep } from '../wait.js';

const USAGE = `Usage: npm run stop

Stops the local stack that npm start runs (or left running with --keep): the workers and the
dashboard first (in-flight chunks finish), then Redis and SecantusDB. Their data stays in
.hcingest/stack (LOCAL_STACK_DIR) for the next npm start. Exit 0 also when nothing runs.`;

const say = (line: string) => void process.stderr.write(`stop: ${line}\n`);

function parseCli(): void {
  try {
    const { values } = parseArgs({ options: { help: { type: 'boolean', short: 'h', default: false } } });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
  } catch (err) {
    process.stderr.write(`stop: ${(err as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
}

/** A running npm start stops its own stack in order, as on Ctrl-C: asked with SIGTERM, waited for. */
async function stopOwner(state: StackState): Promise<void> {
  const owner = { pid: state.ownerPid, startTime: null };
  if (state.kept || !isAlive(owner)) return;
  say(`asking npm start (pid ${state.ownerPid}) to stop its load and stack`);
  process.kill(state.ownerPid, 'SIGTERM');
  const deadline = Date.now() + 120_000;
  while (isAlive(owner) && Date.now() < deadline) await sleep(200);
}

/** What is left: the workers and the dashboard first, then the servers. */
async function stopProcesses(state: StackState, env: NodeJS.ProcessEnv): Promise<void> {
  const apps = state.apps.filter(isAlive);
  const services = state.services.filter(isAlive);
  if (apps.length + services.length === 0) return;
  say(`stopping ${[...apps, ...services].map((p) => p.name).join(', ')}`);
  const grace = Number(env.SHUTDOWN_GRACE_MS ?? 30_000) + 5_000;
  const killed = [...(await stopAll(apps, 'SIGTERM', grace)), ...(await stopAll(services, 'SIGTERM', 20_000))];
  if (killed.length) say(`killed after the grace period: ${killed.join(', ')}`);
}

async function main(): Promise<number> {
  parseCli();
  const env = { ...process.env };
  loadEnvFile(env);
  const dir = stackDir(env);
  const state = readState(dir);
  if (!state) {
    say(`no local stack is running (${shown(dir)})`);
    return 0;
  }
  await stopOwner(state);
  await stopProcesses(state, env);
  const left = liveProcesses(state);
  if (left.length) {
    say(`still running: ${left.map((p) => `${p.name} (pid ${p.pid})`).join(', ')}`);
    return 1;
  }
  clearRunning(dir);
  say(`stopped; the data stays in ${shown(dir)}`);
  return 0;
}

process.exit(await main());
