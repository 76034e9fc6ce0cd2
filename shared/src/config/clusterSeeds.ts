/** A Redis Cluster seed node. */
export interface ClusterSeed {
  host: string;
  port: number;
}

/** A Redis Cluster seed: `host:port`, `[ipv6]:port`; undefined when it is not one. */
export function parseSeed(text: string): ClusterSeed | undefined {
  const m = /^\s*(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})\s*$/.exec(text);
  if (!m) return undefined;
  const port = Number(m[2]);
  return port >= 1 && port <= 65535 ? { host: m[1]!.replace(/^\[|\]$/g, ''), port } : undefined;
}

/** The seeds of REDIS_CLUSTER_NODES; empty when Redis is one server (REDIS_URL). */
export function clusterSeeds(config: { REDIS_CLUSTER_NODES: string }): ClusterSeed[] {
  return config.REDIS_CLUSTER_NODES.split(',')
    .filter((s) => s.trim() !== '')
    .map((s) => parseSeed(s)!);
}

/**
 * Whether every key under this prefix hashes to one Redis Cluster slot: Redis hashes only the
 * part between the first "{" and the next "}" when it is not empty, and BullMQ's keys all start
 * with the prefix, so a tag there keeps a queue's keys (which its scripts use together) on one shard.
 */
export function hasHashTag(prefix: string): boolean {
  const open = prefix.indexOf('{');
  const close = open < 0 ? -1 : prefix.indexOf('}', open + 1);
  return close > open + 1;
}

/**
 * What a Redis Cluster (REDIS_CLUSTER_NODES set) needs of the other settings: a hash-tagged
 * QUEUE_PREFIX, and database 0 (the only one a cluster has). One line per problem, naming the variable.
 */
export function clusterMisfits(config: {
  REDIS_CLUSTER_NODES: string;
  REDIS_URL: string;
  QUEUE_PREFIX: string;
}): string[] {
  if (clusterSeeds(config).length === 0) return [];
  const problems: string[] = [];
  if (!hasHashTag(config.QUEUE_PREFIX))
    problems.push(
      `QUEUE_PREFIX: "${config.QUEUE_PREFIX}" has no {hash tag}, which Redis Cluster (REDIS_CLUSTER_NODES is set) ` +
        'needs to keep all the keys of a queue on one shard: set QUEUE_PREFIX={hcingest} (the same for every ' +
        'producer, worker and dashboard of the deployment)',
    );
  const db = /^rediss?:\/\/[^/?#]*\/(\d+)/.exec(config.REDIS_URL)?.[1];
  if (db !== undefined && Number(db) !== 0)
    problems.push(`REDIS_URL: database ${db} is selected, but Redis Cluster has only database 0: drop the /${db}`);
  return problems;
}
