import { shown } from '../paths.js';
import { isAlive, stopAll } from './processRecord.js';
import { say } from './say.js';
import { clearRunning, liveProcesses, readState, type StackState } from './stackState.js';

/** npm start refuses to run (exit 2): a usage error, or the stack is another's. */
export class Refused extends Error {}

/**
 * A stack already running on this folder: one left by --keep is returned, to be used; another
 * npm start's is refused; what is left of a crashed one is stopped.
 */
export async function runningStack(dir: string): Promise<StackState | undefined> {
  const previous = readState(dir);
  if (!previous) return undefined;
  const live = liveProcesses(previous);
  const ownerAlive = isAlive({ pid: previous.ownerPid, startTime: null }) && previous.ownerPid !== process.pid;
  if (!previous.kept && ownerAlive)
    throw new Refused(
      `another npm start (pid ${previous.ownerPid}) is running on ${shown(dir)}: wait for it, ` +
        'stop it (npm run stop), or give this one its own LOCAL_STACK_DIR',
    );
  if (previous.kept && live.length === previous.apps.length + previous.services.length) return previous;
  if (live.length) {
    say(`stopping what is left of an earlier stack (${live.map((p) => p.name).join(', ')})`);
    await stopAll(live, 'SIGTERM', 20_000);
  }
  clearRunning(dir);
  return undefined;
}
