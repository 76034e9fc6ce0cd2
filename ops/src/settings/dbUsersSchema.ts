import {
  ConfigError,
  readSettings,
  refuseWeakSecretsInProduction,
  type SettingsOf,
  type SettingsSchema,
} from '@hcingest/shared';

/** The three MongoDB accounts on DB_NAME that `db:init` (and the compose init script) create. */
export const dbUsersSchema = {
  ADMIN_USER: {
    doc: 'MongoDB account administering DB_NAME (roles dbAdmin and userAdmin: indexes, statistics, users): runs db:init.',
    format: 'user-name',
    default: 'admin',
    env: 'ADMIN_USER',
  },
  ADMIN_PASS: { doc: 'Password of ADMIN_USER.', format: 'password', default: '', env: 'ADMIN_PASS', sensitive: true },
  WRITER_USER: {
    doc: 'MongoDB account of the producer (enqueue) and the workers (role readWrite on DB_NAME).',
    format: 'user-name',
    default: 'writer',
    env: 'WRITER_USER',
  },
  WRITER_PASS: {
    doc: 'Password of WRITER_USER.',
    format: 'password',
    default: '',
    env: 'WRITER_PASS',
    sensitive: true,
  },
  READER_USER: {
    doc: 'MongoDB account of status and the dashboard (role read on DB_NAME).',
    format: 'user-name',
    default: 'reader',
    env: 'READER_USER',
  },
  READER_PASS: {
    doc: 'Password of READER_USER.',
    format: 'password',
    default: '',
    env: 'READER_PASS',
    sensitive: true,
  },
} satisfies SettingsSchema;

export type DbUsersConfig = SettingsOf<typeof dbUsersSchema>;

/**
 * Reads the accounts `db:init` creates; every password is required (and, with NODE_ENV=production,
 * must not be the template placeholder). Throws ConfigError naming the variables, never the values.
 */
export function loadDbUsersConfig(env: NodeJS.ProcessEnv = process.env): DbUsersConfig {
  const users = readSettings(dbUsersSchema, env);
  const names = [users.ADMIN_USER, users.WRITER_USER, users.READER_USER];
  if (new Set(names).size !== names.length)
    throw new ConfigError(
      'invalid configuration:\nADMIN_USER, WRITER_USER and READER_USER must be three different names',
    );
  refuseWeakSecretsInProduction(env.NODE_ENV, {
    ADMIN_PASS: users.ADMIN_PASS,
    WRITER_PASS: users.WRITER_PASS,
    READER_PASS: users.READER_PASS,
  });
  return users;
}
