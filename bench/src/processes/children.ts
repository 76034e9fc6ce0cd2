import type { ChildProcess } from 'node:child_process';
import { killAndWait } from '@hcingest/devstack';

/** How long a process may take to exit after a stop signal before it is killed. */
const STOP_GRACE_MS = 10_000;

/** The producer and worker processes running now: stopped with the servers on Ctrl-C or SIGTERM. */
export class Children {
  private readonly running = new Set<ChildProcess>();

  /** Remembers a process the bench started until it exits. */
  track<T extends ChildProcess>(child: T): T {
    this.running.add(child);
    child.once('exit', () => this.running.delete(child));
    return child;
  }

  /** Stops every process still running with `signal`, and waits for them to exit (killed after 10 s). */
  async stop(signal: NodeJS.Signals): Promise<void> {
    await Promise.all([...this.running].map((child) => killAndWait(child, signal, STOP_GRACE_MS)));
  }

  /** Kills every process still running. */
  killAll(): void {
    for (const child of this.running) child.kill('SIGKILL');
  }
}
