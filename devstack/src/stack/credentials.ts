import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { writePrivate } from './privateFiles.js';

/** The local stack's passwords (credentials.env in its folder, mode 0600). */
export interface Credentials {
  MONGO_ROOT_PASS: string;
  ADMIN_PASS: string;
  WRITER_PASS: string;
  READER_PASS: string;
  REDIS_PASSWORD: string;
  DASHBOARD_USER: string;
  DASHBOARD_PASSWORD: string;
}

/** Reads the stack's passwords, generating them on first use. */
export function credentials(dir: string): Credentials {
  const path = join(dir, 'credentials.env');
  if (existsSync(path)) {
    chmodSync(path, 0o600);
    return parseEnv(readFileSync(path, 'utf8')) as unknown as Credentials;
  }
  // Letters and digits only: they go into connection URLs unescaped.
  const secret = () => randomBytes(18).toString('hex');
  const creds: Credentials = {
    MONGO_ROOT_PASS: secret(),
    ADMIN_PASS: secret(),
    WRITER_PASS: secret(),
    READER_PASS: secret(),
    REDIS_PASSWORD: secret(),
    DASHBOARD_USER: 'admin',
    DASHBOARD_PASSWORD: secret(),
  };
  writePrivate(
    path,
    '# Passwords of the local stack (npm start), generated once; `npm start -- --reset` makes new ones.\n' +
      '# MongoDB: root (user root, created first), and the accounts of db:init on DB_NAME: admin, writer, reader.\n' +
      Object.entries(creds)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n') +
      '\n',
  );
  return creds;
}
