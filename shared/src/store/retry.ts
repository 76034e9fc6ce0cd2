import { MongoNetworkError, MongoServerSelectionError, MongoError } from 'mongodb';

/** Errors after which the same operation may succeed: the connection, not the request, failed. */
export function isTransientMongoError(err: unknown): boolean {
  if (err instanceof MongoNetworkError || err instanceof MongoServerSelectionError) return true;
  return err instanceof MongoError && (err.hasErrorLabel('RetryableWriteError') || err.hasErrorLabel('ResetPool'));
}

/** Runs `fn`, retrying transient MongoDB errors with exponential backoff (start-up steps). */
export async function retryTransient<T>(
  fn: () => Promise<T>,
  opts: { attempts?: number; firstDelayMs?: number; onRetry?: (err: unknown, attempt: number) => void } = {},
): Promise<T> {
  const attempts = opts.attempts ?? 8;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts || !isTransientMongoError(err)) throw err;
      opts.onRetry?.(err, attempt);
      await new Promise((r) => setTimeout(r, (opts.firstDelayMs ?? 200) * 2 ** (attempt - 1)));
    }
  }
}
