// @ts-check
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * Reads the settings file the commands read (ENV_FILE, default .env in the working directory),
 * the environment winning: the rule of shared/src/envFile.ts, which cannot be loaded before the
 * first build. The set-up for npm start reads it for REDIS_URL and MONGO_URL.
 * @param {NodeJS.ProcessEnv} env
 */
export function readDotEnv(env) {
  const name = env.ENV_FILE ?? '.env';
  if (name === 'off' || name === '') return undefined;
  const path = resolve(process.cwd(), name);
  if (!existsSync(path)) {
    if (env.ENV_FILE !== undefined) throw new Error(`ENV_FILE: cannot read ${path} (ENOENT)`);
    return undefined;
  }
  for (const [k, v] of Object.entries(parseEnv(readFileSync(path, 'utf8')))) if (env[k] === undefined) env[k] = v;
  return path;
}
