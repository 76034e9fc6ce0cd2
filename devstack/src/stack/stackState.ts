/**
 * The local stack's files in its folder (.hcingest/stack by default), all private to the user:
 *   credentials.env  generated passwords (mode 0600), made once, kept until --reset
 *   stack.json       the running stack: its processes and ports (gone once it is stopped)
 *   writer.env, reader.env  settings for commands run against the running stack (ENV_FILE=…)
 *   redis/ mongo/    the data;  logs/  one log file per process
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivate } from './privateFiles.js';
import { isAlive, type ProcessRecord } from './processRecord.js';

/** What stack.json records of the running stack. */
export interface StackState {
  /** the npm start that runs it */
  ownerPid: number;
  /** left running (--keep): stopped by npm run stop */
  kept: boolean;
  /** without password */
  redisUrlShown: string;
  /** host:port */
  mongoShown: string;
  dashboardUrl: string;
  /** redis, mongo (stopped last) */
  services: ProcessRecord[];
  /** workers, dashboard (stopped first) */
  apps: ProcessRecord[];
}

const statePath = (dir: string) => join(dir, 'stack.json');

export function readState(dir: string): StackState | undefined {
  try {
    return JSON.parse(readFileSync(statePath(dir), 'utf8')) as StackState;
  } catch {
    return undefined;
  }
}

export function writeState(dir: string, state: StackState): void {
  writePrivate(statePath(dir), `${JSON.stringify(state, null, 2)}\n`);
}

export const liveProcesses = (state: StackState): ProcessRecord[] => [...state.apps, ...state.services].filter(isAlive);

/** Removes what only a running stack has: its state and the settings files pointing at it. */
export function clearRunning(dir: string): void {
  for (const name of ['stack.json', 'writer.env', 'reader.env']) rmSync(join(dir, name), { force: true });
}
