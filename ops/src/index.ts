/** The operator's tools: failed chunks, the MongoDB accounts, and the dashboard's parts. */
export * from './admin/ensureUsers.js';
export * from './dashboard/app.js';
export * from './dashboard/auth.js';
export * from './dashboard/concurrency.js';
export * from './dashboard/loadsReader.js';
export * from './dashboard/queues.js';
export * from './dashboard/server.js';
export * from './dashboard/dashboardSettings.js';
export * from './dashboard/throughput.js';
export * from './failedChunks.js';
export * from './rejectsExport.js';
export * from './settings/dashboardSchema.js';
export * from './settings/dbUsersSchema.js';
export * from './verify/compareDoc.js';
export * from './verify/fileRows.js';
export * from './verify/formatVerify.js';
export * from './verify/verifyFile.js';
