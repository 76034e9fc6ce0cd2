import { UnrecoverableError } from 'bullmq';
import { isPermanentChunkError } from '@hcingest/shared';

/** Error text safe to store and log: the first line, bounded (driver errors carry no row data). */
export function describeError(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.split('\n')[0]!.slice(0, 500);
}

/**
 * What BullMQ is told of a failed attempt. A permanent fault (PermanentChunkError) becomes an
 * UnrecoverableError, which fails the job at once instead of spending JOB_ATTEMPTS on it, with
 * the fault as its cause; anything else (an outage, a write error) is passed on as it is, to be
 * retried with backoff.
 */
export function toQueueError(err: unknown): unknown {
  if (!isPermanentChunkError(err)) return err;
  const unrecoverable = new UnrecoverableError(err.message);
  unrecoverable.cause = err;
  return unrecoverable;
}

/** The fault behind a failed attempt: the cause of an UnrecoverableError made by toQueueError. */
export function faultOf(err: unknown): unknown {
  return err instanceof UnrecoverableError && isPermanentChunkError(err.cause) ? err.cause : err;
}
