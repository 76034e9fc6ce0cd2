import type { ChildProcess } from 'node:child_process';
import { killAndWait, onStderrLine, startNodeProcess, untilPrinted } from '@hcingest/devstack';
import { SCRIPTS } from '../paths.js';
import type { Children } from './children.js';

/** The chunk time a worker's "chunk done" log line gives (ms), if it is one. */
function chunkDoneMs(line: string): number | undefined {
  const ms = line.includes('"chunk done"') ? /"ms":(\d+)/.exec(line)?.[1] : undefined;
  return ms ? Number(ms) : undefined;
}

/** Worker processes, and when every one of them consumes the queue. */
export interface Workers {
  procs: ChildProcess[];
  ready: Promise<void>;
}

/**
 * Starts `count` worker processes (log level info). Each chunk's time, from the workers' "chunk
 * done" log lines, goes to `chunkDone`: where a slow run lost its time.
 */
export function startWorkers(
  children: Children,
  env: NodeJS.ProcessEnv,
  count: number,
  chunkDone: (ms: number) => void,
): Workers {
  const workers = Array.from({ length: count }, () => {
    const worker = startNodeProcess(SCRIPTS.worker, [], {
      env: { ...process.env, ...env, LOG_LEVEL: 'info' },
      keepChars: 100_000,
    });
    children.track(worker.proc);
    onStderrLine(worker.proc, (line) => {
      const ms = chunkDoneMs(line);
      if (ms !== undefined) chunkDone(ms);
    });
    return worker;
  });
  return {
    procs: workers.map((w) => w.proc),
    ready: Promise.all(workers.map((w) => untilPrinted(w, '"worker ready"', 'worker'))).then(() => undefined),
  };
}

/** Stops the worker processes and waits for them to exit. */
export async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(workers.map((w) => killAndWait(w, 'SIGTERM')));
}
