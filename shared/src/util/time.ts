/** A bounded wait that ran out. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/**
 * Settles as `work` does, or rejects after `ms` with a TimeoutError carrying `message` (or the
 * error `message()` makes at that moment, e.g. to include the last connection error). The timer
 * never outlives the work.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, message: string | (() => Error)): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(typeof message === 'string' ? new TimeoutError(message) : message()), ms);
  });
  return Promise.race([work.finally(() => clearTimeout(timer)), expired]);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
