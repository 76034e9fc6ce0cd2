#!/usr/bin/env node
/**
 * Chunk payload choice: what the producer costs per row, and what a chunk job weighs in Redis,
 * when it ships raw records (the workers parse) versus fully parsed row objects.
 * Usage: npm run bench:payload -- [--rows N]
 */
import { Command } from 'commander';
import { measurePayload } from '../payload/measurePayload.js';
import { positiveInteger } from '../positiveInteger.js';

const { rows } = new Command('bench:payload')
  .description('Producer rows/s and chunk job size with raw records against parsed row objects.')
  .option('--rows <n>', 'rows of the generated file', positiveInteger, 200_000)
  .parse()
  .opts<{ rows: number }>();

console.log(JSON.stringify(await measurePayload(rows)));
