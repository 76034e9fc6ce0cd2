import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

export interface Credentials {
  user: string;
  password: string;
}

/** The user and password of an `Authorization: Basic …` header, or null when there is none. */
export function parseBasicAuth(header: string | undefined): Credentials | null {
  const m = /^\s*basic\s+([A-Za-z0-9+/=._~-]+)\s*$/i.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Compares in constant time (digests make the lengths equal, so the length does not leak either). */
function same(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

export function credentialsMatch(given: Credentials | null, expected: Credentials): boolean {
  if (!given) return false;
  // Both comparisons always run: no early exit tells a right user from a wrong one.
  const userOk = same(given.user, expected.user);
  const passwordOk = same(given.password, expected.password);
  return userOk && passwordOk;
}

export const REALM = 'hcingest dashboard';

/**
 * HTTP basic auth (RFC 7617): missing or wrong credentials get 401 with a WWW-Authenticate
 * challenge, so browsers ask for them. Meant for use behind TLS (a reverse proxy) outside a
 * trusted network: basic auth sends the password with every request.
 */
export function basicAuth(expected: Credentials): RequestHandler {
  return (req, res, next) => {
    if (credentialsMatch(parseBasicAuth(req.headers.authorization), expected)) return next();
    res
      .status(401)
      .set('WWW-Authenticate', `Basic realm="${REALM}", charset="UTF-8"`)
      .set('Cache-Control', 'no-store')
      .json({ error: 'authentication required' });
  };
}
