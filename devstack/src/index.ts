/**
 * The development stack: free ports, waiting, and starting and provisioning Redis, SecantusDB, a
 * Redis Cluster and Toxiproxy; used by npm start/stop (src/cli), the test harness and the bench.
 */

// Where things are: the checkout, the state folder, the pinned tool versions and binaries.
export { ROOT, STATE_HOME, shown, stackDir } from './paths.js';
export { VERSIONS, type Versions } from './versions.js';
export { composeBin, findBinary, secantusdInVenv, secantusVenv, toxiproxyBin } from './tools.js';

// Ports, waiting, and stopping a child process.
export { freePort, portIsFree } from './ports.js';
export { sleep, waitReady, waitUntil, type WaitOptions } from './wait.js';
export { killAndWait, SERVER_STOP_GRACE_MS } from './killAndWait.js';

// Node processes of the project's commands, their output captured (the tests and the bench).
export {
  onStderrLine,
  startNodeProcess,
  untilPrinted,
  type NodeProcess,
  type NodeProcessOptions,
  type ProcessResult,
} from './nodeProcess.js';

// Servers: Redis, SecantusDB (with its provisioning), both for a run, a Redis Cluster, Toxiproxy.
export { RedisServer, redisAnswers } from './redisServer.js';
export { createRootAccount, mongoAnswers, SecantusServer, secantusArgs } from './secantusServer.js';
export { startServices, type Services } from './services.js';
export { LocalRedisCluster, type ClusterNode } from './localRedisCluster.js';
export { Proxy, ToxiproxyServer } from './toxiproxyServer.js';

// The store's commands as the driver reports them: counted, and the size of their replies.
export { commandCollection, countCommands, type ReplySizes, watchReplies } from './storeCommands.js';

// A database's three accounts, made by the real db:init (the local stack and the bench).
export { createAccounts, type AccountPasswords, type AccountSettings } from './stack/accounts.js';

// The settings generator (npm run settings): the settings table of docs/deployment.md and .env.template.
export * from './settings/outsideSchemas.js';
export * from './settings/renderEnvTemplate.js';
export * from './settings/renderSettingsTable.js';
export * from './settings/settingsFiles.js';
export * from './settings/settingsGroup.js';
export * from './settings/settingsGroups.js';
