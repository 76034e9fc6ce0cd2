import { ConfigError } from '../config/configError.js';
import { loadEnvFile, withEnvFileHint, type EnvFileResult } from '../config/envFile.js';
import { loadConfig, type LoadConfigOptions } from '../config/loadConfig.js';
import type { SettingsOf, SettingsSchema } from '../config/setting.js';
import type { Config } from '../config/sharedSchema.js';
import { createLogger, redactCredentials, type Logger } from '../log/logger.js';
import { explainStoreError, StoreAccessError } from '../store/errors.js';
import { InputError } from '../errors/inputError.js';
import { EXIT } from './exitCodes.js';

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
