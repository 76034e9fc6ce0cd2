/** The development stack used by npm start/stop, the test harness and the bench. */
export * from './settings/outsideSchemas.js';
export * from './settings/renderEnvTemplate.js';
export * from './settings/renderSettingsTable.js';
export * from './settings/settingsFiles.js';
export * from './settings/settingsGroup.js';
export * from './settings/settingsGroups.js';
