import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

/** Peak of a sampled value while `during` runs. */
export async function sampleMax(
  sample: () => Promise<number>,
  during: Promise<unknown>,
  everyMs = 25,
): Promise<number> {
  let max = 0;
  let running = true;
  void during.finally(() => (running = false));
  while (running) {
    max = Math.max(max, await sample().catch(() => 0));
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return Math.max(max, await sample().catch(() => 0));
}

/** A sampler of a process's resident set high-water mark (bytes). */
export const rssHighWater = (pid: number) => async (): Promise<number> => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
};

/** The memory Redis uses now (bytes). */
export async function redisUsedMemory(redis: Redis): Promise<number> {
  return Number(/^used_memory:(\d+)/m.exec(await redis.info('memory'))![1]);
}
