import { MongoServerError, type Db } from 'mongodb';
import type { DbUsersConfig } from '../settings/dbUsersSchema.js';

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

/** The three accounts of the deployment, least privilege first: admin, writer, reader. */
export function deploymentUsers(users: DbUsersConfig): UserSpec[] {
  return [
    { user: users.ADMIN_USER, pwd: users.ADMIN_PASS, roles: ['dbAdmin', 'userAdmin'] },
    { user: users.WRITER_USER, pwd: users.WRITER_PASS, roles: ['readWrite'] },
    { user: users.READER_USER, pwd: users.READER_PASS, roles: ['read'] },
  ];
}

const USER_ALREADY_EXISTS = 51003;

function hasCode(err: unknown, code: number): err is MongoServerError {
  return err instanceof MongoServerError && err.code === code;
}

/**
 * Creates each user on `db`, or updates its password and roles when it exists, so running it
 * again changes nothing (or re-syncs the passwords with the environment).
 */
export async function ensureUsers(db: Db, specs: UserSpec[]): Promise<UserResult[]> {
  const results: UserResult[] = [];
  for (const spec of specs) {
    const roles = spec.roles.map((role) => ({ role, db: db.databaseName }));
    const info = await db.command({ usersInfo: { user: spec.user, db: db.databaseName } });
    const exists = Array.isArray(info.users) && info.users.length > 0;
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
  return results;
}
