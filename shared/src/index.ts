/**
 * The contract the processes meet through: the record schema and rules, the CSV splitter, the
 * chunk job, the store's documents, the load report, settings, logging, and the small helpers
 * the commands share. Producer, worker, operator tools and generator depend on this only.
 */
export * from './cli/command.js';
export * from './cli/connections.js';
export * from './cli/inputError.js';
export * from './cli/runCli.js';
export * from './config.js';
export * from './csv/chunkRows.js';
export * from './csv/csvField.js';
export * from './csv/parseRecords.js';
export * from './csv/recordSplitter.js';
export * from './envFile.js';
export * from './file/checkFile.js';
export * from './file/chunkBuilder.js';
export * from './file/chunkStream.js';
export * from './file/delimiter.js';
export * from './file/delimiterCensus.js';
export * from './file/encoding.js';
export * from './file/readHeader.js';
export * from './file/scanFile.js';
export * from './file/textSource.js';
export * from './file/utf8.js';
export * from './health/probes.js';
export * from './load/formatReport.js';
export * from './load/loadDoc.js';
export * from './load/loadStore.js';
export * from './load/missingChunks.js';
export * from './load/printOutcome.js';
export * from './load/progressPrinter.js';
export * from './load/rejectSummary.js';
export * from './load/report.js';
export * from './load/waitAndPrint.js';
export * from './load/waitForLoad.js';
export * from './logger.js';
export * from './queue/chunkErrors.js';
export * from './queue/chunkJob.js';
export * from './queue/chunkQueue.js';
export * from './queue/limiterKeys.js';
export * from './queue/redisConnection.js';
export * from './rules/identity.js';
export * from './rules/normalized.js';
export * from './rules/reasons.js';
export * from './rules/text.js';
export * from './rules/validate.js';
export * from './rules/values.js';
export * from './rules/version.js';
export * from './schema/columns.js';
export * from './schema/header.js';
export * from './store/collections.js';
export * from './store/errors.js';
export * from './store/patientDoc.js';
export * from './store/rejectDoc.js';
export * from './store/retry.js';
export * from './util/time.js';
