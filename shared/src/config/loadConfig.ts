import convict from 'convict';
import { clusterMisfits } from './clusterSeeds.js';
import { ConfigError } from './configError.js';
import './formats.js';
import { refuseWeakSecretsInProduction, urlPassword } from './secrets.js';
import type { SettingsOf, SettingsSchema } from './setting.js';
import { sharedSchema, type Config } from './sharedSchema.js';

export interface LoadConfigOptions<S extends SettingsSchema = Record<never, never>> {
  /**
   * The connection strings of the services the command uses (default both): their passwords
   * must be real with NODE_ENV=production, and the Redis Cluster settings are checked only for
   * a command that uses Redis (db:init, which never connects to it, gives only MONGO_URL).
   */
  secrets?: ReadonlyArray<'MONGO_URL' | 'REDIS_URL'>;
  /** the process's own settings, validated with the shared ones */
  schema?: S;
}

/** Reads and validates the settings of `schema` from `env`; throws ConfigError naming each bad variable. */
export function readSettings<S extends SettingsSchema>(schema: S, env: NodeJS.ProcessEnv): SettingsOf<S> {
  const config = convict(schema, { env, args: [] });
  try {
    config.validate({ allowed: 'strict' });
  } catch (err) {
    throw new ConfigError(`invalid configuration:\n${(err as Error).message}`);
  }
  return config.getProperties() as SettingsOf<S>;
}

/**
 * Reads and validates the shared settings, and the process's own (`options.schema`), from `env`
 * at once; throws ConfigError naming each bad variable. Secrets come only from the environment.
 */
export function loadConfig<S extends SettingsSchema = Record<never, never>>(
  env: NodeJS.ProcessEnv = process.env,
  options: LoadConfigOptions<S> = {},
): Config & SettingsOf<S> {
  const values = readSettings({ ...sharedSchema, ...options.schema }, env) as Config & SettingsOf<S>;
  const secrets = options.secrets ?? ['MONGO_URL', 'REDIS_URL'];
  const misfits = secrets.includes('REDIS_URL') ? clusterMisfits(values) : [];
  if (misfits.length > 0) throw new ConfigError(`invalid configuration:\n${misfits.join('\n')}`);
  refuseWeakSecretsInProduction(
    values.NODE_ENV,
    Object.fromEntries(secrets.map((name) => [name, urlPassword(values[name])])),
  );
  return values;
}
