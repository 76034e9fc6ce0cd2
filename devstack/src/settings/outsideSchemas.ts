import type { SettingsSchema } from '@hcingest/shared';
import type { Versions } from '../versions.js';

/** What npm start and npm run stop read: where the local stack lives, its ports, its store. */
export function localStackSchema(versions: Versions) {
  return {
    LOCAL_STACK_DIR: {
      doc: "Where npm start keeps the local stack's data, logs and generated passwords (credentials.env, mode 0600), relative to the checkout.",
      format: String,
      default: '.hcingest/stack',
      env: 'LOCAL_STACK_DIR',
    },
    LOCAL_REDIS_PORT: {
      doc: "Port of the local stack's Redis on 127.0.0.1; 0 picks a free port at each start.",
      format: String,
      default: '0',
      env: 'LOCAL_REDIS_PORT',
    },
    LOCAL_MONGO_PORT: {
      doc:
        "Port of the local stack's SecantusDB on 127.0.0.1; 0 picks a free port at each start. (Its dashboard uses " +
        'DASHBOARD_PORT, or a free port when that is taken and DASHBOARD_PORT is not set.)',
      format: String,
      default: '0',
      env: 'LOCAL_MONGO_PORT',
    },
    SECANTUS_VENV: {
      doc: 'The virtualenv the set-up installs SecantusDB into (npm start, npm test), relative to the checkout.',
      format: String,
      default: `.hcingest/tools/secantus-${versions.secantus}`,
      env: 'SECANTUS_VENV',
    },
  } satisfies SettingsSchema;
}

/** What the test harness reads (tests never read .env: these come from the environment). */
export function testSchema(versions: Versions) {
  return {
    TEST_REDIS_CLUSTER_NODES: {
      doc:
        'A Redis Cluster of your own for the Redis Cluster tests (its seeds, host:port,...); unset, they start a ' +
        'local cluster (3 masters, 3 replicas), and with one of your own the failover test skips: it cannot kill a node it did not start.',
      format: String,
      default: '',
      env: 'TEST_REDIS_CLUSTER_NODES',
      unset: true,
    },
    TEST_REDIS_CLUSTER_URL: {
      doc: 'The password and TLS of TEST_REDIS_CLUSTER_NODES, as a URL (its host is not used).',
      format: String,
      default: '',
      env: 'TEST_REDIS_CLUSTER_URL',
      example: 'redis://:password@any-node:6379',
      unset: true,
    },
    SECANTUSD_BIN: {
      doc: 'The secantusd-py the test harness runs when MONGO_URL is unset, instead of the one in SECANTUS_VENV.',
      format: String,
      default: '',
      env: 'SECANTUSD_BIN',
      unset: true,
    },
    CHROMIUM_PATH: {
      doc: "The Chromium the dashboard's browser test drives (skipped, saying so, when there is none).",
      format: String,
      default: '/usr/bin/chromium',
      env: 'CHROMIUM_PATH',
    },
    TOXIPROXY_BIN: {
      doc:
        'The toxiproxy-server the network-partition fault tests run (setup --for test builds it with go install ' +
        'into .hcingest/tools), relative to the checkout.',
      format: String,
      default: `.hcingest/tools/toxiproxy-${versions.toxiproxy}/toxiproxy-server`,
      env: 'TOXIPROXY_BIN',
    },
    COMPOSE_ENGINE: {
      doc:
        "The engine npm run test:compose runs the stack on: docker (Docker's engine, the real images) or podman (a " +
        'private podman service and stand-in images). Unset: docker when a Docker engine answers `docker info`, else podman.',
      format: String,
      default: '',
      env: 'COMPOSE_ENGINE',
      unset: true,
    },
    COMPOSE_BIN: {
      doc:
        'The docker-compose binary test:compose runs on podman (setup --for compose builds it with Go into ' +
        '.hcingest/tools), relative to the checkout.',
      format: String,
      default: `.hcingest/tools/compose-${versions.compose}/docker-compose`,
      env: 'COMPOSE_BIN',
    },
  } satisfies SettingsSchema;
}

/** What docker-compose.yml reads besides the processes' settings: its MongoDB root, Redis, data folder. */
export const composeSchema = {
  MONGO_ROOT_USER: {
    doc:
      'MongoDB root account of the compose mongo service, created on the first start of its volume; used only by ' +
      'the compose db-init service (which creates the accounts of db:init) and the compose test service.',
    format: String,
    default: 'root',
    env: 'MONGO_ROOT_USER',
  },
  MONGO_ROOT_PASS: {
    doc: 'Password of MONGO_ROOT_USER.',
    format: String,
    default: '',
    env: 'MONGO_ROOT_PASS',
    sensitive: true,
  },
  REDIS_PASSWORD: {
    doc: 'requirepass of the compose Redis; the services connect with redis://:REDIS_PASSWORD@redis:6379/0.',
    format: String,
    default: '',
    env: 'REDIS_PASSWORD',
    sensitive: true,
  },
  DATA_DIR: {
    doc:
      "The host folder compose mounts as the containers' data/ (relative to docker-compose.yml, or absolute): the " +
      'data-init service writes the synthetic dataset there, and the producer reads files from it.',
    format: String,
    default: './data',
    env: 'DATA_DIR',
  },
  HOST_UID: {
    doc:
      'uid that writes data/synthetic_healthcare_dataset.csv on the host when it is absent (`id -u`), so the ' +
      'generated file belongs to you.',
    format: String,
    default: '1000',
    env: 'HOST_UID',
  },
  HOST_GID: {
    doc: 'gid of that file (`id -g`).',
    format: String,
    default: '1000',
    env: 'HOST_GID',
  },
} satisfies SettingsSchema;
