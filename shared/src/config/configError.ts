/** A setting that is missing or invalid; the message names the variable, never a secret's value. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
