import { asAccountOf } from './accounts.js';
import type { Proxy } from '@hcingest/devstack';

export { Proxy, ToxiproxyServer } from '@hcingest/devstack';

/** Routing a test process's connections through the proxies of devstack's ToxiproxyServer. */

/** host:port of a redis:// or mongodb:// URL (one host). */
export function hostPort(url: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#,]+)/i.exec(url);
  if (!m) throw new Error(`no host:port in ${url.replace(/\/\/[^@/]*@/, '//***@')}`);
  return m[1]!;
}

/** The same URL (credentials, database, options kept) to 127.0.0.1:port instead of its host. */
export function throughPort(url: string, port: number): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?)([^/?#,]+)/i, `$1127.0.0.1:${port}`);
}

function withParam(url: string, key: string, value: string): string {
  const [base, query = ''] = url.split('?', 2) as [string, string?];
  const params = new URLSearchParams(query);
  params.set(key, value);
  return `${base.includes('/', base.indexOf('//') + 2) ? base : `${base}/`}?${params.toString()}`;
}

/**
 * The environment `script` runs with (signed in as its production account, see accounts.ts),
 * with its Redis and/or MongoDB connections through the given proxies: the proxy sits on the
 * final URL the process uses. For startWorker / startProcess / run, which keep a MONGO_URL given.
 */
export async function viaProxies(
  script: string,
  testEnv: NodeJS.ProcessEnv,
  proxies: { redis?: Proxy; mongo?: Proxy },
): Promise<NodeJS.ProcessEnv> {
  const env = { ...(await asAccountOf(script, testEnv)) };
  const mongoUrl = env.MONGO_URL ?? process.env.MONGO_URL;
  const redisUrl = env.REDIS_URL ?? process.env.REDIS_URL;
  if (!mongoUrl || !redisUrl) throw new Error('REDIS_URL / MONGO_URL are not set (is test/harness/rootHooks loaded?)');
  env.MONGO_URL = mongoUrl;
  env.REDIS_URL = redisUrl;
  // directConnection: the driver must not discover the server's own address and go around the proxy.
  if (proxies.mongo) env.MONGO_URL = withParam(throughPort(mongoUrl, proxies.mongo.port), 'directConnection', 'true');
  if (proxies.redis) env.REDIS_URL = throughPort(redisUrl, proxies.redis.port);
  return env;
}
