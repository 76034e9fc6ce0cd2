/**
 * The local stack's processes: started in process groups of their own (a Ctrl-C in the terminal
 * reaches only `npm start`, which then stops them in order), output to log files, and recorded
 * with their start time so that `npm run stop` never signals a process that merely reuses a pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { sleep } from '../wait.js';

export interface ProcessRecord {
  /** e.g. "redis", "worker-1" */
  name: string;
  pid: number;
  /** /proc/<pid>/stat start time (null where there is no /proc) */
  startTime: string | null;
  /** its log file */
  log: string;
}

type Identity = Pick<ProcessRecord, 'pid' | 'startTime'>;

export function startTimeOf(pid: number): string | null {
  try {
    // Field 22 of /proc/<pid>/stat, counted after the command name (which may hold spaces).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

export function isAlive(rec: Identity): boolean {
  try {
    process.kill(rec.pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (rec.startTime === null) return true;
  const now = startTimeOf(rec.pid);
  // A zombie (exited, not yet reaped) has a stat but is gone for our purposes.
  if (now === null) return false;
  try {
    if (/\) Z /.test(readFileSync(`/proc/${rec.pid}/stat`, 'utf8'))) return false;
  } catch {
    return false;
  }
  return now === rec.startTime;
}

export function signalProcess(rec: Identity, signal: NodeJS.Signals): void {
  if (!isAlive(rec)) return;
  try {
    process.kill(rec.pid, signal);
  } catch {
    /* gone in the meantime */
  }
}

/** Signals each process, waits up to `graceMs` for all of them to exit, then kills what is left; returns their names. */
export async function stopAll(recs: ProcessRecord[], sig: NodeJS.Signals, graceMs: number): Promise<string[]> {
  for (const rec of recs) signalProcess(rec, sig);
  const deadline = Date.now() + graceMs;
  while (recs.some(isAlive) && Date.now() < deadline) await sleep(100);
  const left = recs.filter(isAlive);
  for (const rec of left) signalProcess(rec, 'SIGKILL');
  while (recs.some(isAlive)) await sleep(50);
  return left.map((r) => r.name);
}

/** Starts a process of the stack: own process group, stdin closed, output appended to `log`. */
export function startDetached(
  name: string,
  cmd: string,
  args: string[],
  opts: { env: NodeJS.ProcessEnv; log: string; cwd: string },
): { child: ChildProcess; rec: ProcessRecord } {
  const fd = openSync(opts.log, 'a', 0o600);
  try {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', fd, fd] });
    const pid = child.pid;
    if (pid === undefined) throw new Error(`${name} could not be started (${cmd})`);
    return { child, rec: { name, pid, startTime: startTimeOf(pid), log: opts.log } };
  } finally {
    closeSync(fd);
  }
}

/** The last lines of a log file, for an error message. */
export function tail(path: string, n = 8): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '';
  }
}
