#!/usr/bin/env node
/**
 * What a Redis Cluster costs the pipeline (see ../cluster/clusterBench.ts).
 * Usage: npm run bench:cluster -- [--rows N] [--repeat N]
 */
import { Command } from 'commander';
import { runClusterBench } from '../cluster/clusterBench.js';
import { positiveInteger } from '../positiveInteger.js';

const options = new Command('bench:cluster')
  .description('End-to-end rows/s with the queue on one Redis and on a local Redis Cluster (3 masters, 3 replicas).')
  .option('--rows <n>', 'rows of the generated file', positiveInteger, 30_000)
  .option('--repeat <n>', 'rounds (each: one load on each)', positiveInteger, 3)
  .parse()
  .opts<{ rows: number; repeat: number }>();

await runClusterBench(options);
