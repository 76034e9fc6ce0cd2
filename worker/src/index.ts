/** The worker's public surface: a chunk job parsed, validated and written. */
export * from './parse/chunkRows.js';
export * from './processChunk.js';
export * from './runWorker.js';
