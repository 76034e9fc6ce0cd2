import { MongoServerError, type Db } from 'mongodb';
import type { DbUsersConfig } from '@hcingest/shared/config';

/** One account on the database: its name, password (never printed) and roles on that database. */
export interface UserSpec {
  user: string;
  pwd: string;
  roles: string[];
}

export interface UserResult {
  user: string;
  roles: string[];
  action: 'created' | 'updated';
}

export type UsersOutcome = { supported: true; users: UserResult[] } | { supported: false; reason: string };

/** The three accounts of the deployment, least privilege first: admin, writer, reader. */
export function deploymentUsers(users: DbUsersConfig): UserSpec[] {
  return [
    { user: users.ADMIN_USER, pwd: users.ADMIN_PASS, roles: ['dbAdmin', 'userAdmin'] },
    { user: users.WRITER_USER, pwd: users.WRITER_PASS, roles: ['readWrite'] },
    { user: users.READER_USER, pwd: users.READER_PASS, roles: ['read'] },
  ];
}

const COMMAND_NOT_FOUND = 59;
const USER_ALREADY_EXISTS = 51003;

function hasCode(err: unknown, code: number): err is MongoServerError {
  return err instanceof MongoServerError && err.code === code;
}

/**
 * Creates each user on `db`, or updates its password and roles when it exists, so running it
 * again changes nothing (or re-syncs the passwords with the environment). A server without user
 * management (CommandNotFound, as on some MongoDB-compatible servers) is reported, not an error.
 */
export async function ensureUsers(db: Db, specs: UserSpec[]): Promise<UsersOutcome> {
  const results: UserResult[] = [];
  for (const spec of specs) {
    const roles = spec.roles.map((role) => ({ role, db: db.databaseName }));
    let exists: boolean;
    try {
      const info = await db.command({ usersInfo: { user: spec.user, db: db.databaseName } });
      exists = Array.isArray(info.users) && info.users.length > 0;
    } catch (err) {
      if (hasCode(err, COMMAND_NOT_FOUND)) return { supported: false, reason: `usersInfo: ${err.message}` };
      throw err;
    }
    if (!exists) {
      try {
        await db.command({ createUser: spec.user, pwd: spec.pwd, roles });
        results.push({ user: spec.user, roles: spec.roles, action: 'created' });
        continue;
      } catch (err) {
        // Another db:init created it in the meantime: update it below.
        if (!hasCode(err, USER_ALREADY_EXISTS)) throw err;
      }
    }
    await db.command({ updateUser: spec.user, pwd: spec.pwd, roles });
    results.push({ user: spec.user, roles: spec.roles, action: 'updated' });
  }
  return { supported: true, users: results };
}
