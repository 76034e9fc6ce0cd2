import { MongoBulkWriteError, MongoError, MongoServerError, MongoServerSelectionError } from 'mongodb';

export const DUPLICATE_KEY = 11000;

export function isDuplicateKey(err: unknown): boolean {
  return err instanceof MongoServerError && err.code === DUPLICATE_KEY;
}

/**
 * Indexes of the operations an unordered bulk write refused with a duplicate key. Throws the
 * error back if anything else went wrong, a write concern error included (the driver reports it
 * inside the result when there are write errors too), so that the chunk is retried.
 */
export function duplicateIndexes(err: unknown): number[] {
  if (!(err instanceof MongoBulkWriteError)) throw err;
  const errors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
  if (errors.length === 0 || errors.some((e) => e.code !== DUPLICATE_KEY)) throw err;
  if (err.result?.getWriteConcernError()) throw err;
  return errors.map((e) => e.index);
}

const UNAUTHORIZED = 13;
const AUTHENTICATION_FAILED = 18;

/** MongoDB refused the account of MONGO_URL (wrong credentials, or a role it lacks): a settings problem. */
export class StoreAccessError extends Error {
  override name = 'StoreAccessError';
}

/** MongoDB did not answer within the connect timeout: a command gives up (exit 1). */
export class StoreUnreachableError extends Error {
  override name = 'StoreUnreachableError';
}

/**
 * Explains a MongoDB failure an operator has to act on, never with the password: a refusal of the
 * account (authentication failed, or an action its roles do not allow) names the account and its
 * authentication database; a server that did not answer is named by its address. Other errors
 * are returned as they are.
 */
export function explainStoreError(err: unknown, mongoUrl: string, timeoutMs?: number): unknown {
  if (err instanceof MongoServerSelectionError) {
    const hosts = /^mongodb(?:\+srv)?:\/\/(?:[^@/?#]*@)?([^/?#]*)/.exec(mongoUrl)?.[1] ?? '(unknown host)';
    const reason = err.message.split('\n')[0]!.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#]*@/gi, '');
    return new StoreUnreachableError(
      `MongoDB at ${hosts} (MONGO_URL) did not answer${timeoutMs ? ` within ${timeoutMs / 1000} s` : ''}: ${reason}; ` +
        'check that it runs, and MONGO_URL',
    );
  }
  if (!(err instanceof MongoError)) return err;
  const code = Number(err.code);
  if (code !== AUTHENTICATION_FAILED && code !== UNAUTHORIZED) return err;
  const userinfo = /^mongodb(?:\+srv)?:\/\/([^@/?#]*)@/.exec(mongoUrl)?.[1] ?? '';
  const user = safeDecode(userinfo.split(':')[0] ?? '');
  const authSource =
    /[?&]authSource=([^&#]*)/.exec(mongoUrl)?.[1] ?? /^mongodb(?:\+srv)?:\/\/[^/]*\/([^?#]+)/.exec(mongoUrl)?.[1];
  const account = `the account of MONGO_URL (user "${user}", authSource "${safeDecode(authSource ?? 'admin')}")`;
  return new StoreAccessError(
    code === AUTHENTICATION_FAILED
      ? `MongoDB refused ${account}: authentication failed; check the user name, its password and its authentication database`
      : `MongoDB refused an action to ${account}: ${err.message.split('\n')[0]}; enqueue, worker and retry need ` +
          'the writer account (readWrite), status, failed and the dashboard the reader (read), db:init the admin',
  );
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
