/** The worker's public surface: the ChunkWorker lifecycle, and a chunk job parsed, validated and written. */
export * from './chunkFailure.js';
export * from './chunkRef.js';
export * from './chunkWorker.js';
export * from './processChunk.js';
export * from './settings.js';
export * from './concurrency/globalConcurrency.js';
export * from './write/writeMarkSweeper.js';
export * from './archive/archiveJob.js';
export * from './archive/archiveCandidates.js';
export * from './archive/archiveStep.js';
export * from './archive/ascendingIds.js';
