/** The producer's public surface: a CSV file checked, split into chunk jobs and enqueued as a load. */
export * from './enqueueLoad.js';
export * from './jobSender.js';
export * from './loadId.js';
export * from './runtime.js';
export * from './settings.js';
export * from './inputFiles.js';
export * from './formatSniff.js';
export * from './readOptions.js';
export * from './confirmArchive.js';
