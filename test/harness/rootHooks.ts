import { startServices, type Services } from './services.js';

/**
 * Mocha root hooks: one set of services for the whole run, exported to the environment so
 * that every command and worker process a test spawns uses them.
 */
let services: Services | undefined;

export function currentServices(): Services {
  if (!services) throw new Error('services not started (is test/harness/rootHooks loaded?)');
  return services;
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(120_000);
    // A developer's .env (settings of their own stack) must not leak into the tests' commands.
    process.env.ENV_FILE = 'off';
    services = await startServices();
    process.env.REDIS_URL = services.redisUrl;
    process.env.MONGO_URL = services.mongoUrl;
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await services?.stop();
  },
};
