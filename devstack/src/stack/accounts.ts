/** The MongoDB accounts of the local stack, and the settings files commands use against it. */
import { join } from 'node:path';
import type { Credentials } from './credentials.js';
import { runCommand } from './commands.js';
import { writePrivate } from './privateFiles.js';

/** The given server, signed in as `user` against `authSource` (any credentials of `url` replaced). */
function signedIn(url: string, user: string, pwd: string, authSource: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(pwd);
  u.searchParams.set('authSource', authSource);
  return u.toString();
}

/** The passwords db:init gives the admin, writer and reader accounts. */
export type AccountPasswords = Pick<Credentials, 'ADMIN_PASS' | 'WRITER_PASS' | 'READER_PASS'>;

export interface AccountSettings {
  writer: Record<string, string>;
  reader: Record<string, string>;
}

/**
 * The three accounts, by the real db:init run as root; with a MONGO_URL of the user's only the
 * indexes, and every process uses that URL as it is.
 */
export function createAccounts(o: {
  env: NodeJS.ProcessEnv;
  creds: AccountPasswords;
  mongoRoot: string;
  ownMongo: boolean;
  dbName: string;
}): AccountSettings {
  const init = runCommand('ops/dist/cli/dbInit.js', o.ownMongo ? [] : ['--skip-users'], {
    ...o.env,
    ADMIN_USER: 'admin',
    ADMIN_PASS: o.creds.ADMIN_PASS,
    WRITER_USER: 'writer',
    WRITER_PASS: o.creds.WRITER_PASS,
    READER_USER: 'reader',
    READER_PASS: o.creds.READER_PASS,
    DB_NAME: o.dbName,
    MONGO_URL: o.mongoRoot,
    LOG_LEVEL: 'warn',
    ENV_FILE: 'off',
  });
  if (init.status !== 0) throw new Error(`db:init failed: ${init.stderr.trim()}`);
  const as = (user: string, pwd: string) => (o.ownMongo ? signedIn(o.mongoRoot, user, pwd, o.dbName) : o.mongoRoot);
  return {
    writer: { MONGO_URL: as('writer', o.creds.WRITER_PASS), DB_NAME: o.dbName },
    reader: { MONGO_URL: as('reader', o.creds.READER_PASS), DB_NAME: o.dbName },
  };
}

/** Settings files for commands run against the running stack (ENV_FILE=…), private to the user. */
export function writeSettings(dir: string, settings: AccountSettings): void {
  for (const [name, vars] of [
    ['writer.env', settings.writer],
    ['reader.env', settings.reader],
  ] as const) {
    const lines = Object.entries(vars).map(([k, v]) => `${k}=${v}`);
    writePrivate(
      join(dir, name),
      `# Settings of the running local stack, for commands: ENV_FILE=<this file> npm run <command>.\n${lines.join('\n')}\n`,
    );
  }
}
