import {
  envFileSchema,
  mongoSchema,
  PASSWORD_PLACEHOLDER,
  redisSchema,
  runtimeSchema,
  waitSchema,
} from '@hcingest/shared';
import { dashboardSchema, dbUsersSchema } from '@hcingest/ops';
import { producerSchema } from '@hcingest/producer';
import { workerSchema } from '@hcingest/worker';
import { VERSIONS, type Versions } from '../versions.js';
import { composeSchema, localStackSchema, testSchema } from './outsideSchemas.js';
import type { SettingsGroup } from './settingsGroup.js';

/**
 * Every setting of the project, in the order the docs and `.env.template` give them: the
 * processes' schemas (which each process validates at start-up), then what npm start, the tests
 * and docker-compose.yml read, with the pinned tool versions in their defaults.
 */
export function settingsGroups(versions: Versions = VERSIONS): SettingsGroup[] {
  return [
    { title: 'Settings file', usedBy: 'every command', schema: envFileSchema },
    { title: 'Runtime', usedBy: 'every command', schema: runtimeSchema },
    { title: 'MongoDB', usedBy: 'every command', schema: mongoSchema },
    { title: 'Redis and the queue', usedBy: 'every command', schema: redisSchema },
    { title: 'Producer (enqueue)', usedBy: 'enqueue', schema: producerSchema },
    { title: 'Waiting for a load (--wait)', usedBy: 'enqueue, status', schema: waitSchema },
    { title: 'Workers', usedBy: 'worker', schema: workerSchema },
    {
      title: 'MongoDB accounts on DB_NAME (created by db:init)',
      usedBy: 'db:init',
      intro:
        `Every password here and below is a placeholder: replace each "${PASSWORD_PLACEHOLDER}" before the first ` +
        '`docker compose up` (`openssl rand -hex 24` makes a good one). With NODE_ENV=production (as in every compose ' +
        'service) the commands refuse to start with an empty or placeholder password, and so do the mongo and redis ' +
        "services. Passwords go into connection URLs: use only letters, digits, '.', '_', '~' and '-'. Secrets live " +
        'only here (.env is git-ignored), never in logs.',
      schema: dbUsersSchema,
    },
    {
      title: 'Docker compose',
      usedBy: 'docker compose',
      intro:
        'In compose, MONGO_URL and REDIS_URL are not used: each service gets a URL built from the account it needs ' +
        '(writer for the producer and workers, reader for status and the dashboard) and from REDIS_PASSWORD. ' +
        'DB_NAME, COLLECTION_NAME, ARCHIVE_COLLECTION_NAME, LOG_LEVEL and the queue, producer and worker settings are passed ' +
        'on to the containers.',
      schema: composeSchema,
    },
    { title: 'Dashboard', usedBy: 'dashboard', schema: dashboardSchema },
    {
      title: 'Local stack (npm start, npm run stop)',
      usedBy: 'npm start, npm run stop',
      schema: localStackSchema(versions),
    },
    {
      title: 'Tests only',
      usedBy: 'tests',
      intro:
        'When REDIS_URL / MONGO_URL are unset, the test harness starts private servers: redis-server and SecantusDB ' +
        '(secantusd-py). A MONGO_URL of your own must be an account that may ' +
        'create users. Tests never read .env.',
      schema: testSchema(versions),
    },
  ];
}
