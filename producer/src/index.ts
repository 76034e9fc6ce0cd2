/** The producer's public surface: a CSV file checked, split into chunk jobs and enqueued as a load. */
export * from './chunkBuilder.js';
export * from './enqueueLoad.js';
export * from './file/encoding.js';
export * from './file/readHeader.js';
export * from './file/scanFile.js';
export * from './file/utf8.js';
export * from './loadId.js';
export * from './runtime.js';
export * from './chunkStream.js';
export * from './jobSender.js';
