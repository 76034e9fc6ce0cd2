import { ConfigError } from './configError.js';

/** What `.env.template` puts where a password goes; refused (like an empty one) in production. */
export const PASSWORD_PLACEHOLDER = 'change-me';

/** True for a password that must not be used in production: empty, blank or the template placeholder. */
export function isWeakSecret(value: string | undefined): boolean {
  return !value || !value.trim() || /change-?me/i.test(value);
}

/** The (decoded) password of a connection string's user-info part; '' when it has none. */
export function urlPassword(url: string): string {
  const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i.exec(url)?.[1];
  const colon = userinfo?.indexOf(':') ?? -1;
  if (userinfo === undefined || colon < 0) return '';
  const raw = userinfo.slice(colon + 1);
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * With NODE_ENV=production, refuses to start when a secret is empty or still the template
 * placeholder. The message names the variables, never their values.
 */
export function refuseWeakSecretsInProduction(nodeEnv: string | undefined, secrets: Record<string, string>): void {
  if (nodeEnv !== 'production') return;
  const weak = Object.entries(secrets).filter(([, value]) => isWeakSecret(value));
  if (weak.length === 0) return;
  throw new ConfigError(
    'invalid configuration:\n' +
      weak
        .map(
          ([name]) =>
            `${name}: with NODE_ENV=production the password must be set and must not be the ` +
            `.env.template placeholder "${PASSWORD_PLACEHOLDER}"`,
        )
        .join('\n'),
  );
}
