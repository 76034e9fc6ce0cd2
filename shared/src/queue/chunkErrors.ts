/**
 * A chunk job that fails the same way on every attempt, so retrying cannot help: the worker
 * fails it at once (BullMQ's UnrecoverableError) and records it like any failed chunk, for
 * `failed` to list and `retry` to replay once the cause is fixed.
 */
export class PermanentChunkError extends Error {
  override name = 'PermanentChunkError';
}

/** The job's payload is not a chunk job this worker understands (e.g. from an older producer). */
export class InvalidChunkJobError extends PermanentChunkError {
  override name = 'InvalidChunkJobError';
}

/** The job's load is not in the loads collection (the producer records it before any chunk). */
export class UnknownLoadError extends PermanentChunkError {
  override name = 'UnknownLoadError';
}

/** Whether an error is permanent; anything else (an outage, a write error) is worth a retry. */
export function isPermanentChunkError(err: unknown): err is PermanentChunkError {
  return err instanceof PermanentChunkError;
}
