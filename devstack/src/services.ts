import { freePort } from './ports.js';
import { RedisServer } from './redisServer.js';
import { SecantusServer } from './secantusServer.js';

/**
 * The servers of one test run or bench run: REDIS_URL / MONGO_URL used as they are when set
 * (MONGO_URL must be an account that may create users); otherwise private servers started on
 * free ports: redis-server, and SecantusDB with --auth.
 */
export interface Services {
  redisUrl: string;
  /** an account that may create users (the provisioned root account, or the MONGO_URL given) */
  mongoUrl: string;
  /** present when they were started here (fault tests need them) */
  redis?: RedisServer;
  mongo?: SecantusServer;
  stop(): Promise<void>;
}

export async function startServices(env: NodeJS.ProcessEnv = process.env): Promise<Services> {
  let redis: RedisServer | undefined;
  let mongo: SecantusServer | undefined;
  try {
    if (!env.REDIS_URL) {
      redis = new RedisServer(await freePort());
      await redis.start();
    }
    if (!env.MONGO_URL) {
      mongo = new SecantusServer(await freePort());
      await mongo.provision();
    }
  } catch (err) {
    await redis?.stop();
    await mongo?.stop();
    throw err;
  }
  return {
    redisUrl: env.REDIS_URL ?? redis!.url,
    mongoUrl: env.MONGO_URL ?? mongo!.url,
    redis,
    mongo,
    async stop() {
      await redis?.stop();
      await mongo?.stop();
      redis?.cleanup();
      mongo?.cleanup();
    },
  };
}
