/** Synthetic admission files and what loading them must give (data:generate, tests, benchmarks). */
export * from './extracts.js';
export * from './generator.js';
export * from './outputFile.js';
export * from './random.js';
export * from './writeDataset.js';
