import { InvalidArgumentError, Option } from 'commander';
import { ConfigError } from '../config/configError.js';
import { loadEnvFile, withEnvFileHint, type EnvFileResult } from '../config/envFile.js';
import { loadConfig, type LoadConfigOptions } from '../config/loadConfig.js';
import { parseRate } from '../config/rate.js';
import type { SettingsOf, SettingsSchema } from '../config/setting.js';
import type { Config } from '../config/sharedSchema.js';
import { createLogger, redactCredentials, type Logger } from '../logger.js';
import { explainStoreError, StoreAccessError } from '../store/errors.js';
import { InputError } from './inputError.js';
import { parseDelimiter, type Delimiter } from '../file/delimiter.js';
import { FILE_ENCODINGS, parseEncoding } from '../file/encoding.js';
import { TOO_MANY_REJECTS } from '../load/printOutcome.js';

/** Exit codes shared by the commands (documented in the README). */
export const EXIT = {
  ok: 0,
  notCompleted: 1,
  badInput: 2,
  notFound: 3,
  tooManyRejects: TOO_MANY_REJECTS,
  interrupted: 130,
} as const;

/** Parses --max-reject-rate: a fraction (0.05) or a percentage (5%). */
export function rejectRateOption(value: string): number {
  const rate = parseRate(value);
  if (rate === undefined) throw new InvalidArgumentError('must be a fraction from 0 to 1 (0.05) or a percentage (5%)');
  return rate;
}

/** Parses --delimiter: `,` `;` `tab` or `\t`. */
export function delimiterOption(value: string): Delimiter {
  try {
    return parseDelimiter(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** The `--encoding` option of the commands that read a file (enqueue, verify). */
export function encodingOption(description: string): Option {
  return new Option('--encoding <name>', description)
    .choices([...FILE_ENCODINGS])
    .default('utf8')
    .argParser((v) => {
      try {
        return parseEncoding(v);
      } catch (err) {
        throw new InvalidArgumentError((err as Error).message);
      }
    });
}

/**
 * Runs a command body with validated config (the shared settings and the command's own,
 * `options.schema`) and a stderr logger, mapping errors to exit codes.
 */
export async function runCli<S extends SettingsSchema = Record<never, never>>(
  name: string,
  body: (config: Config & SettingsOf<S>, log: Logger) => Promise<number>,
  options: LoadConfigOptions<S> = {},
): Promise<never> {
  let code: number;
  let mongo = { url: '', timeoutMs: 0 };
  let envFile: EnvFileResult = { applied: [] };
  try {
    envFile = loadEnvFile();
    const config = loadConfig(process.env, options);
    mongo = { url: config.MONGO_URL, timeoutMs: config.CONNECT_TIMEOUT_MS };
    const log = createLogger(name, config.LOG_LEVEL);
    code = await body(config, log);
  } catch (thrown) {
    const err = explainStoreError(thrown, mongo.url, mongo.timeoutMs);
    if (err instanceof ConfigError) {
      process.stderr.write(`${name}: ${withEnvFileHint(err.message, envFile)}\n`);
      code = EXIT.badInput;
    } else if (err instanceof InputError || err instanceof StoreAccessError) {
      process.stderr.write(`${name}: ${err.message}\n`);
      code = EXIT.badInput;
    } else {
      process.stderr.write(`${name}: ${redactCredentials(err instanceof Error ? err.message : String(err))}\n`);
      code = EXIT.notCompleted;
    }
  }
  process.exit(code);
}
