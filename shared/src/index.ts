/**
 * What the processes share. First the contract they meet through: the record schema and rules,
 * CSV, the file reader, the chunk job, the store's documents, and the load record and its
 * report. Then the command-line support (runner, exit codes, report printing, progress, waiting
 * for a load), which uses the contract and is never used by it. Last, settings and logging.
 * Producer, worker, operator tools and generator depend on this only.
 */

// Contract: the record's columns and the file header that maps to them.
export * from './schema/columns.js';
export * from './schema/header.js';

// Contract: the rules a row is validated, cleaned and identified by.
export * from './rules/identity.js';
export * from './rules/normalized.js';
export * from './rules/reasons.js';
export * from './rules/rowFormats.js';
export * from './rules/text.js';
export * from './rules/validate.js';
export * from './rules/values.js';
export * from './rules/version.js';

// Contract: CSV records, fields and delimiters.
export * from './csv/csvField.js';
export * from './csv/delimiter.js';
export * from './csv/parseRecords.js';
export * from './csv/recordSplitter.js';

// Contract: input the commands refuse (exit 2), thrown by the file reader among others.
export * from './errors/inputError.js';

// Contract: the file reader (checks, encodings, compression, chunking).
export * from './file/checkFile.js';
export * from './file/chunkBuilder.js';
export * from './file/chunkStream.js';
export * from './file/delimiterCensus.js';
export * from './file/encoding.js';
export * from './file/readHeader.js';
export * from './file/scanFile.js';
export * from './file/textSource.js';
export * from './file/utf8.js';

// Contract: the chunk job, its queue, and the Redis connection it travels on.
export * from './queue/archiveJob.js';
export * from './queue/chunkErrors.js';
export * from './queue/chunkJob.js';
export * from './queue/chunkQueue.js';
export * from './queue/chunkRows.js';
export * from './queue/limiterKeys.js';
export * from './queue/queueBacklog.js';
export * from './queue/redisConnection.js';

// Contract: the store's collections and documents, and its errors.
export * from './store/archiveDoc.js';
export * from './store/collections.js';
export * from './store/errors.js';
export * from './store/loadDoc.js';
export * from './store/patientDoc.js';
export * from './store/rejectDoc.js';
export * from './store/replacementDoc.js';
export * from './store/retry.js';
export * from './store/writeMarkDoc.js';

// Contract: the load record and its report.
export * from './load/archiveLimit.js';
export * from './load/archiveState.js';
export * from './load/loadContent.js';
export * from './load/loadStore.js';
export * from './load/missingChunks.js';
export * from './load/rejectSummary.js';
export * from './load/report.js';

// Command-line support: runner, exit codes, options, connections, report printing, progress, waiting.
export * from './cli/command.js';
export * from './cli/commandOptions.js';
export * from './cli/connections.js';
export * from './cli/exitCodes.js';
export * from './cli/formatReport.js';
export * from './cli/printWaitOutcome.js';
export * from './cli/progressPrinter.js';
export * from './cli/runCli.js';
export * from './cli/waitAndPrint.js';
export * from './cli/waitForLoad.js';

// Settings, logging, and the health and timing helpers every process uses.
export * from './config/clusterSeeds.js';
export * from './config/configError.js';
export * from './config/envFile.js';
export * from './config/formats.js';
export * from './config/loadConfig.js';
export * from './config/rate.js';
export * from './config/secrets.js';
export * from './config/setting.js';
export * from './config/sharedSchema.js';
export * from './config/waitSchema.js';
export * from './log/logger.js';
export * from './health/probes.js';
export * from './util/time.js';
