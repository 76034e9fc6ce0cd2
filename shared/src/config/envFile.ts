import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError } from './configError.js';
import type { SettingsSchema } from './setting.js';

/** ENV_FILE value that turns the settings file off (the test harness sets it). */
export const ENV_FILE_OFF = 'off';

/** The settings file itself, read by every command before its settings (never by convict: it names where they come from). */
export const envFileSchema = {
  ENV_FILE: {
    doc:
      'The settings file every command reads, relative to the working directory, or off for none; a variable set ' +
      'in the environment wins over the file. Only meaningful in the environment: ENV_FILE=other.env npm run status -- <loadId>.',
    format: String,
    default: '.env',
    env: 'ENV_FILE',
    unset: true,
  },
} satisfies SettingsSchema;

export interface EnvFileResult {
  /** absolute path of the file read, when one was */
  path?: string;
  /** the variables taken from it (those not already in the environment) */
  applied: string[];
}

/**
 * Reads the settings file `.env.template` describes (`ENV_FILE`, default `.env` in the working
 * directory) into `env`. Variables already in the environment win, so a one-off `X=1 npm run …`
 * or a container's settings always override the file. A missing default file is not an error;
 * a missing file named by ENV_FILE is, since the user asked for it.
 */
export function loadEnvFile(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): EnvFileResult {
  const name = env.ENV_FILE ?? '.env';
  if (name === ENV_FILE_OFF || name === '') return { applied: [] };
  const path = resolve(cwd, name);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && env.ENV_FILE === undefined) return { applied: [] };
    throw new ConfigError(`invalid configuration:\nENV_FILE: cannot read ${path} (${code ?? 'error'})`);
  }
  const applied: string[] = [];
  for (const [key, value] of Object.entries(parseEnv(text))) {
    if (env[key] !== undefined) continue;
    env[key] = value;
    applied.push(key);
  }
  return { path, applied };
}

/** Adds to a settings error where the values came from, so the user edits the right place. */
export function withEnvFileHint(message: string, file: EnvFileResult): string {
  if (!file.path || file.applied.length === 0) return message;
  return `${message}\n(settings read from ${file.path} where the environment does not set them)`;
}
