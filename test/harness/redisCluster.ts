import { LocalRedisCluster } from '@hcingest/devstack';

export { LocalRedisCluster, type ClusterNode } from '@hcingest/devstack';

/**
 * The Redis Cluster of the cluster tests: the one TEST_REDIS_CLUSTER_NODES names (with
 * TEST_REDIS_CLUSTER_URL carrying its password), or a local one of 3 masters and 3 replicas.
 * Not REDIS_CLUSTER_NODES itself: set in the tests' environment it would move every other test's
 * queue too.
 */
export async function clusterForTests(): Promise<{ nodes: string; url: string; local?: LocalRedisCluster }> {
  const nodes = process.env.TEST_REDIS_CLUSTER_NODES;
  if (nodes) return { nodes, url: process.env.TEST_REDIS_CLUSTER_URL ?? 'redis://127.0.0.1:6379' };
  const local = new LocalRedisCluster();
  await local.start();
  return { nodes: local.seeds, url: local.url, local };
}
