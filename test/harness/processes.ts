import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accountSettings, asAccountOf } from './accounts.js';
import { wantsFaults } from './faults.js';
import { FAULTY_WORKER, ROOT, SCRIPTS } from './paths.js';
import {
  killAndWait,
  type NodeProcess,
  type ProcessResult,
  startNodeProcess,
  untilPrinted,
  waitUntil as pollUntil,
} from '@hcingest/devstack';

export { ROOT, SCRIPTS };

/**
 * Settings that isolate one test's data and queue from every other test's, with the database's
 * own three accounts (created on first use). They are merged over process.env when a process
 * starts, after the harness has exported the service URLs; each command then signs in as the
 * account it is given in production (see accounts.ts).
 */
export function isolatedEnv(label: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const tag = `${label}_${randomBytes(3).toString('hex')}`;
  return {
    DB_NAME: `t_${tag}`,
    QUEUE_NAME: `q_${tag}`,
    LOG_LEVEL: 'warn',
    POLL_INTERVAL_MS: '200',
    JOB_BACKOFF_MS: '200',
    WORKER_HTTP_PORT: '0',
    ...accountSettings(),
    ...extra,
  };
}

export type RunResult = ProcessResult;

/** Runs a command to completion (bounded by timeoutMs) and captures its output. */
export async function run(
  script: string,
  args: string[],
  testEnv: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
): Promise<RunResult> {
  const p = await startProcess(script, args, testEnv);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      p.proc.kill('SIGKILL');
      reject(new Error(`${script} ${args.join(' ')} did not finish within ${timeoutMs} ms\n${p.stderr()}`));
    }, timeoutMs);
    p.proc.on('error', reject);
    void p.done.then((r) => {
      clearTimeout(timer);
      resolve(r);
    });
  });
}

export interface WorkerProcess {
  proc: ChildProcess;
  stderr: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts a worker process and resolves once it is consuming the queue. Given FAULT_FAIL_CHUNKS or
 * FAULT_CHUNK_DELAY_MS, it runs the real worker with those faults injected (faultyWorker.ts).
 */
export async function startWorker(testEnv: NodeJS.ProcessEnv, args: string[] = []): Promise<WorkerProcess> {
  const faulty = wantsFaults(testEnv);
  if (faulty && args.length > 0) throw new Error('the faulty worker takes no options: give settings as variables');
  const env = await asAccountOf(SCRIPTS.worker, testEnv);
  const worker = startNodeProcess(faulty ? FAULTY_WORKER : SCRIPTS.worker, args, {
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    cwd: ROOT,
  });
  await untilPrinted(worker, '"worker ready"', 'worker');
  const { proc } = worker;
  return {
    proc,
    stderr: worker.stderr,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      await killAndWait(proc, signal);
      return proc.exitCode;
    },
  };
}

export type Background = NodeProcess;

/** Starts a command in the background (for tests that signal or kill it). */
export async function startProcess(script: string, args: string[], testEnv: NodeJS.ProcessEnv): Promise<Background> {
  const env = await asAccountOf(script, testEnv);
  return startNodeProcess(script, args, { env: { ...process.env, ...env }, cwd: ROOT });
}

/** Polls `check` until it returns a truthy value, failing after timeoutMs. */
export function waitUntil<T>(what: string, check: () => Promise<T> | T, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  return pollUntil(what, check, { timeoutMs, everyMs });
}

/** Bounds a promise: a hung step fails the test instead of hanging the suite. */
export async function within<T>(what: string, p: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<T>(
        (_, reject) =>
          (timer = setTimeout(() => reject(new Error(`${what}: no result within ${timeoutMs} ms`)), timeoutMs)),
      ),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The HTTP status of a process's /readyz on this host (0 when it does not answer within 5 s). */
export async function readyStatus(port: number): Promise<number> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(5000) })).status;
  } catch {
    return 0;
  }
}
