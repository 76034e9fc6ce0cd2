import type { ChunkProcessor } from '@hcingest/worker';

/**
 * Test-only fault injection for worker processes (see faultyWorker.ts): read from the variables a
 * test gives startWorker, never from the production settings.
 */
export interface Faults {
  /** chunk indexes every attempt of which throws (FAULT_FAIL_CHUNKS, comma-separated) */
  failChunks: ReadonlySet<number>;
  /** extra time each chunk takes, in ms, to widen windows for crash tests (FAULT_CHUNK_DELAY_MS) */
  chunkDelayMs: number;
}

/** The variables that ask for fault injection: a test giving any of them gets the faulty worker. */
export const FAULT_VARIABLES = ['FAULT_FAIL_CHUNKS', 'FAULT_CHUNK_DELAY_MS'] as const;

export function wantsFaults(env: NodeJS.ProcessEnv): boolean {
  return FAULT_VARIABLES.some((name) => env[name] !== undefined);
}

/** Reads the faults; a malformed value throws (a typo must not silently inject nothing). */
export function readFaults(env: NodeJS.ProcessEnv): Faults {
  const list = (env.FAULT_FAIL_CHUNKS ?? '').split(',').filter((s) => s.trim() !== '');
  const failChunks = new Set(list.map((s) => natural('FAULT_FAIL_CHUNKS', s)));
  const chunkDelayMs = natural('FAULT_CHUNK_DELAY_MS', env.FAULT_CHUNK_DELAY_MS || '0');
  return { failChunks, chunkDelayMs };
}

function natural(name: string, text: string): number {
  if (!/^\s*\d+\s*$/.test(text)) throw new Error(`${name}: "${text}" is not a natural number`);
  return Number(text);
}

/** Wraps the worker's chunk processor with the faults: the delay first, then the failure. */
export function withFaults(faults: Faults): (next: ChunkProcessor) => ChunkProcessor {
  return (next) => async (job) => {
    if (faults.chunkDelayMs > 0) await new Promise((r) => setTimeout(r, faults.chunkDelayMs));
    if (faults.failChunks.has(job.data.chunk)) throw new Error(`injected fault for chunk ${job.data.chunk}`);
    return next(job);
  };
}
