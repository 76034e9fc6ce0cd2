import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { ROOT, SCRIPTS } from './paths.js';

/**
 * The deployment's three MongoDB accounts, for real, in every test: each test database gets its
 * own admin / writer / reader created by `db:init` (run as the harness's root account), and each
 * command runs as the account docs/deployment.md gives it.
 */
export type Account = 'admin' | 'writer' | 'reader';

/** The account each command connects as (docs/deployment.md, "MongoDB accounts"). */
export const ACCOUNT_OF: Partial<Record<string, Account>> = {
  [SCRIPTS.enqueue]: 'writer',
  [SCRIPTS.worker]: 'writer',
  [SCRIPTS.retry]: 'writer',
  [SCRIPTS.restore]: 'writer',
  [SCRIPTS.status]: 'reader',
  [SCRIPTS.failed]: 'reader',
  [SCRIPTS.rejects]: 'reader',
  [SCRIPTS.verify]: 'reader',
  [SCRIPTS.dashboard]: 'reader',
};

/** Account names and fresh passwords for one test database (merged into isolatedEnv). */
export function accountSettings(): Record<string, string> {
  const secret = (label: string) => `${label}-${randomBytes(9).toString('hex')}`;
  return {
    ADMIN_USER: 'admin',
    ADMIN_PASS: secret('adm'),
    WRITER_USER: 'writer',
    WRITER_PASS: secret('wrt'),
    READER_USER: 'reader',
    READER_PASS: secret('rdr'),
  };
}

/** The same server as `url`, signed in as `user` against `authSource`. */
export function signedIn(url: string, user: string, pwd: string, authSource: string): string {
  const m = /^(mongodb(?:\+srv)?:\/\/)(?:[^/?#]*@)?([^/?#]*)[^?#]*(?:\?([^#]*))?/.exec(url);
  if (!m) throw new Error('MONGO_URL is not a mongodb:// connection string');
  const params = new URLSearchParams(m[3] ?? '');
  for (const key of ['authSource', 'authMechanism']) params.delete(key);
  params.set('authSource', authSource);
  return `${m[1]}${encodeURIComponent(user)}:${encodeURIComponent(pwd)}@${m[2]}/?${params.toString()}`;
}

/** The harness's account that may create users (root on its own server). */
function rootUrl(): string {
  const url = process.env.MONGO_URL;
  if (!url) throw new Error('MONGO_URL is not set (is test/harness/rootHooks loaded?)');
  return url;
}

/** Connection string of one of the test database's accounts. */
export function accountUrl(env: NodeJS.ProcessEnv, account: Account): string {
  const key = account.toUpperCase();
  const user = env[`${key}_USER`];
  const pwd = env[`${key}_PASS`];
  if (!user || !pwd || !env.DB_NAME) throw new Error(`no ${account} account in this environment (use isolatedEnv)`);
  return signedIn(rootUrl(), user, pwd, env.DB_NAME);
}

const provisioned = new Map<string, Promise<void>>();

/** Creates the test database's three accounts with `db:init`, once per database and passwords. */
export function ensureAccounts(env: NodeJS.ProcessEnv): Promise<void> {
  const key = [env.DB_NAME, env.ADMIN_PASS, env.WRITER_PASS, env.READER_PASS].join('\0');
  let p = provisioned.get(key);
  if (!p) {
    p = promisify(execFile)(process.execPath, [SCRIPTS.dbInit, '--json'], {
      cwd: ROOT,
      env: { ...process.env, ...env, MONGO_URL: rootUrl(), LOG_LEVEL: 'warn' },
    }).then(
      () => undefined,
      (err: Error & { stderr?: string }) => {
        provisioned.delete(key);
        throw new Error(`db:init for ${env.DB_NAME} failed: ${err.stderr ?? err.message}`);
      },
    );
    provisioned.set(key, p);
  }
  return p;
}

/**
 * The environment a command runs with: signed in as the account it is given in production,
 * unless the test sets MONGO_URL itself.
 */
export async function asAccountOf(script: string, env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  const account = ACCOUNT_OF[script];
  if (!account || env.MONGO_URL) return env;
  await ensureAccounts(env);
  return { ...env, MONGO_URL: accountUrl(env, account) };
}
