import type { ChildProcess } from 'node:child_process';

/**
 * How long a server started here may take to exit after SIGTERM before it is killed: the test
 * server busy in a long query did not exit at all (its stop then hung the bench's Ctrl-C).
 */
export const SERVER_STOP_GRACE_MS = 10_000;

/** Sends `signal` and waits for the exit; with `killAfterMs`, SIGKILL if it has not exited by then. */
export async function killAndWait(
  proc: ChildProcess | undefined,
  signal: NodeJS.Signals,
  killAfterMs?: number,
): Promise<void> {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill(signal);
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => proc.kill('SIGKILL'), killAfterMs);
  await exited.finally(() => clearTimeout(timer));
}
