// @ts-check
/**
 * The local stack's processes: started in process groups of their own (a Ctrl-C in the terminal
 * reaches only `npm start`, which then stops them in order), output to log files, and recorded
 * with their start time so that `npm run stop` never signals a process that merely reuses a pid.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * @typedef {object} ProcessRecord
 * @property {string} name       e.g. "redis", "worker-1"
 * @property {number} pid
 * @property {string | null} startTime  /proc/<pid>/stat start time (null where there is no /proc)
 * @property {string} log        its log file
 */

/** @param {number} pid @returns {string | null} */
export function startTimeOf(pid) {
  try {
    // Field 22 of /proc/<pid>/stat, counted after the command name (which may hold spaces).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** @param {{ pid: number, startTime: string | null }} rec */
export function isAlive(rec) {
  try {
    process.kill(rec.pid, 0);
  } catch (err) {
    return /** @type {NodeJS.ErrnoException} */ (err).code === 'EPERM';
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

/** @param {{ pid: number, startTime: string | null }} rec @param {NodeJS.Signals} signal */
export function signal(rec, signal) {
  if (!isAlive(rec)) return;
  try {
    process.kill(rec.pid, signal);
  } catch {
    /* gone in the meantime */
  }
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Signals each process, waits up to `graceMs` for all of them to exit, then kills what is left.
 * @param {ProcessRecord[]} recs @param {NodeJS.Signals} sig @param {number} graceMs
 */
export async function stopAll(recs, sig, graceMs) {
  for (const rec of recs) signal(rec, sig);
  const deadline = Date.now() + graceMs;
  while (recs.some(isAlive) && Date.now() < deadline) await sleep(100);
  const left = recs.filter(isAlive);
  for (const rec of left) signal(rec, 'SIGKILL');
  while (recs.some(isAlive)) await sleep(50);
  return left.map((r) => r.name);
}

/**
 * Starts a process of the stack: own process group, stdin closed, output appended to `log`.
 * @param {string} name @param {string} cmd @param {string[]} args
 * @param {{ env: NodeJS.ProcessEnv, log: string, cwd: string }} opts
 */
export function startProcess(name, cmd, args, opts) {
  const fd = openSync(opts.log, 'a', 0o600);
  try {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', fd, fd] });
    const pid = child.pid;
    if (pid === undefined) throw new Error(`${name} could not be started (${cmd})`);
    /** @type {ProcessRecord} */
    const rec = { name, pid, startTime: startTimeOf(pid), log: opts.log };
    return { child, rec };
  } finally {
    closeSync(fd);
  }
}

/** A free TCP port on the loopback interface. @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/** Whether `port` can be listened on at 127.0.0.1 now. @param {number} port @returns {Promise<boolean>} */
export function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** The last lines of a log file, for an error message. @param {string} path @param {number} [n] */
export function tail(path, n = 8) {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '';
  }
}
