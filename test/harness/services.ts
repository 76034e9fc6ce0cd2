import { secantusdInVenv } from '@hcingest/devstack';

/**
 * Real Redis and a real MongoDB-wire server for the tests, from the development stack
 * (devstack): REDIS_URL / MONGO_URL used as they are when set, private servers otherwise.
 */
export {
  freePort,
  killAndWait,
  RedisServer,
  SecantusServer,
  SERVER_STOP_GRACE_MS,
  startServices,
  type Services,
} from '@hcingest/devstack';

/** secantusd-py as the set-up installs it (what npm start runs). */
export const SECANTUSD_IN_VENV = secantusdInVenv();
