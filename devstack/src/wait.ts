/** Waiting: the one polling loop of the stack, the tests and the bench. */

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface WaitOptions {
  /** how long to wait at the most (default 60 s) */
  timeoutMs?: number;
  /** how often to check (default 100 ms) */
  everyMs?: number;
  /** why waiting is pointless now (e.g. the process exited, with the end of its log), or undefined */
  givenUp?: () => string | undefined;
}

/** Polls `check` until it returns a truthy value, and returns that; fails after the timeout. */
export async function waitUntil<T>(what: string, check: () => Promise<T> | T, opts: WaitOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    const why = opts.givenUp?.();
    if (why) throw new Error(why);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(opts.everyMs ?? 100);
  }
}

/** Waits until a readiness probe answers true; a probe that throws (refused, not ready) counts as false. */
export async function waitReady(what: string, probe: () => Promise<boolean>, opts: WaitOptions = {}): Promise<void> {
  await waitUntil(what, () => probe().catch(() => false), opts);
}
