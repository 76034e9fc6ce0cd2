import { ConfigError, isWeakSecret, PASSWORD_PLACEHOLDER } from '@hcingest/shared';
import type { DashboardConfig } from '../settings/dashboardSchema.js';

export interface DashboardSettings {
  /** address to listen on (DASHBOARD_HOST) */
  host: string;
  port: number;
  /** null when DASHBOARD_AUTH=off */
  credentials: { user: string; password: string } | null;
  readOnly: boolean;
}

/**
 * The dashboard's own settings. It refuses to start without a password unless auth is turned
 * off explicitly, and with NODE_ENV=production also with the .env.template placeholder. The
 * message names the variable, never its value.
 */
export function dashboardSettings(config: DashboardConfig): DashboardSettings {
  const settings = { host: config.DASHBOARD_HOST, port: config.DASHBOARD_PORT, readOnly: config.DASHBOARD_READ_ONLY };
  if (config.DASHBOARD_AUTH === 'off') return { ...settings, credentials: null };
  const problems: string[] = [];
  if (!config.DASHBOARD_USER.trim()) problems.push('DASHBOARD_USER: must be set');
  if (!config.DASHBOARD_PASSWORD) {
    problems.push('DASHBOARD_PASSWORD: must be set (or set DASHBOARD_AUTH=off to serve the dashboard without auth)');
  } else if (config.NODE_ENV === 'production' && isWeakSecret(config.DASHBOARD_PASSWORD)) {
    problems.push(
      'DASHBOARD_PASSWORD: with NODE_ENV=production the password must not be blank or the ' +
        `.env.template placeholder "${PASSWORD_PLACEHOLDER}"`,
    );
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
  return { ...settings, credentials: { user: config.DASHBOARD_USER, password: config.DASHBOARD_PASSWORD } };
}
