import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  ConfigError,
  isWeakSecret,
  loadConfig,
  PASSWORD_PLACEHOLDER,
  urlPassword,
  redactCredentials,
} from '@hcingest/shared';
import { PRODUCER_NODE_FLAGS } from '@hcingest/producer';
import { loadDashboardConfig, loadDbUsersConfig } from '@hcingest/ops';
import { loadWorkerConfig } from '@hcingest/worker';

/**
 * Structural tests of the Docker deployment (no Docker engine here): docker-compose.yml parsed
 * as YAML, the Dockerfiles read as text, .env.template against what references it, and the
 * least-privilege configuration.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

type Env = Record<string, string>;
interface Healthcheck {
  test: string | string[];
}
interface Service {
  image?: string;
  build?: { context: string; dockerfile: string; target?: string };
  container_name?: string;
  ports?: string[];
  expose?: unknown;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Env;
  volumes?: string[];
  healthcheck?: Healthcheck;
  depends_on?: Record<string, { condition: string }>;
  stop_grace_period?: string;
  profiles?: string[];
  networks?: string[];
  network_mode?: string;
  user?: string;
}
interface Compose {
  services: Record<string, Service>;
  networks: Record<string, { internal?: boolean } | null>;
  volumes: Record<string, unknown>;
}

const composeText = read('docker-compose.yml');
const compose = parse(composeText, { merge: true }) as Compose;
const services = compose.services;
const svc = (name: string): Service => {
  const s = services[name];
  expect(s, `service ${name}`).to.be.an('object');
  return s!;
};
const text = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(' ') : (v ?? ''));
const healthText = (s: Service) => text(s.healthcheck?.test);

/** Variables docker-compose.yml interpolates (`${NAME...}`, not the container-side `$${NAME}`). */
function composeVariables(): string[] {
  return [...new Set([...composeText.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!))].sort();
}

/** Seconds of a compose duration like `45s`, `1m30s`. */
function seconds(duration: string): number {
  let total = 0;
  for (const [, n, unit] of duration.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g))
    total += Number(n) * ({ ms: 0.001, s: 1, m: 60, h: 3600 } as Record<string, number>)[unit!]!;
  return total;
}

interface Instruction {
  op: string;
  args: string;
  stage: number;
}
/** A Dockerfile as instructions (continuations joined, comments dropped), numbered by stage. */
function dockerfile(path: string): Instruction[] {
  const joined = read(path)
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ');
  let stage = -1;
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [, op, args] = /^(\S+)\s*(.*)$/.exec(l)!;
      if (op!.toUpperCase() === 'FROM') stage++;
      return { op: op!.toUpperCase(), args: args!, stage };
    });
}

/** Variables `.env.template` assigns, each with a comment in the block above it. */
function templateVariables(): Map<string, { documented: boolean }> {
  const lines = read('.env.template').split('\n');
  const vars = new Map<string, { documented: boolean }>();
  lines.forEach((line, i) => {
    // A commented-out assignment (`# MONGO_URL=…`) documents a variable best left unset.
    const m = /^(?:# )?([A-Z][A-Z0-9_]*)=/.exec(line);
    if (!m) return;
    let documented = false;
    for (let j = i - 1; j >= 0 && lines[j]!.trim() !== ''; j--) {
      if (lines[j]!.startsWith('#')) {
        documented = true;
        break;
      }
    }
    vars.set(m[1]!, { documented });
  });
  return vars;
}

describe('deployment: docker-compose.yml', () => {
  describe('services and images', () => {
    it('has the mongo, redis, worker, producer, dashboard and test services', () => {
      expect(services).to.include.all.keys('mongo', 'redis', 'worker', 'producer', 'dashboard', 'test');
    });

    it('pins official images for mongo and redis (no latest, a full version)', () => {
      expect(svc('mongo').image).to.match(/^mongo:\d+\.\d+\.\d+$/);
      expect(svc('redis').image).to.match(/^redis:\d+\.\d+\.\d+(-[a-z0-9.]+)?$/);
    });

    it('every service running our code is built from the Dockerfile of its process', () => {
      const expected: Record<string, string> = {
        worker: 'Dockerfile.worker',
        producer: 'Dockerfile.producer',
        test: 'Dockerfile.producer',
        dashboard: 'Dockerfile.ops',
        status: 'Dockerfile.ops',
        'db-init': 'Dockerfile.ops',
        'data-init': 'Dockerfile.ops',
      };
      for (const [name, s] of Object.entries(services)) {
        if (name === 'mongo' || name === 'redis') continue;
        expect(s.build?.dockerfile, name).to.equal(expected[name]);
        expect(existsSync(join(ROOT, s.build!.dockerfile)), s.build!.dockerfile).to.equal(true);
      }
    });
  });

  describe('mongo and redis: authentication, persistence and healthchecks', () => {
    it('mongo runs with authentication on, its root account from MONGO_ROOT_USER/MONGO_ROOT_PASS', () => {
      const env = svc('mongo').environment!;
      expect(env.MONGO_INITDB_ROOT_USERNAME).to.match(/^\$\{MONGO_ROOT_USER\b/);
      expect(env.MONGO_INITDB_ROOT_PASSWORD).to.match(/^\$\{MONGO_ROOT_PASS:\?/);
      // The other accounts are db-init's: their passwords are not given to the mongo service.
      for (const v of ['ADMIN_PASS', 'WRITER_PASS', 'READER_PASS']) expect(env, v).to.not.have.property(v);
    });

    it('mongo: a preflight refuses placeholder passwords before the first-start initialisation', () => {
      const mongo = svc('mongo');
      const mount = mongo.volumes!.find((v) => v.includes('preflight'))!;
      expect(mount).to.match(/:ro$/);
      const [host, container] = mount.split(':');
      expect(text(mongo.entrypoint)).to.include(container);
      const script = readFileSync(join(ROOT, host!), 'utf8');
      expect(script).to.include('exec docker-entrypoint.sh "$@"');
      expect(script).to.include('*[Cc][Hh][Aa][Nn][Gg][Ee]-[Mm][Ee]*'); // change-me, any case
      expect(text(mongo.command)).to.equal('mongod');
    });

    it('mongo and redis have healthchecks and named volumes', () => {
      for (const name of ['mongo', 'redis']) {
        const s = svc(name);
        expect(s.healthcheck, `${name} healthcheck`).to.be.an('object');
        const named = s
          .volumes!.map((v) => v.split(':')[0]!)
          .filter((src) => !src.startsWith('.') && !src.startsWith('/'));
        expect(named, `${name} named volume`).to.have.length(1);
        expect(compose.volumes).to.have.property(named[0]!);
      }
      expect(healthText(svc('mongo'))).to.include('ping');
    });

    it('redis persists append-only (everysec) and has a password, with a healthcheck that uses it', () => {
      const redis = svc('redis');
      const command = text(redis.command);
      expect(command).to.include('--appendonly yes');
      expect(command).to.include('--appendfsync everysec');
      expect(command).to.match(/--requirepass "\$\$REDIS_PASSWORD"/);
      expect(redis.environment!.REDIS_PASSWORD).to.match(/^\$\{REDIS_PASSWORD:\?/);
      expect(healthText(redis)).to.match(/REDISCLI_AUTH="\$\$REDIS_PASSWORD"|-a "?\$\$REDIS_PASSWORD/);
      expect(healthText(redis)).to.include('ping');
    });

    it("healthchecks in exec form have no argument with a space (podman 4.x's Docker API splits them there)", () => {
      for (const [name, s] of Object.entries(services)) {
        const test = s.healthcheck?.test;
        if (!Array.isArray(test) || test[0] !== 'CMD') continue;
        for (const arg of test) expect(arg, `${name} healthcheck argument`).to.not.match(/\s/);
      }
    });
  });

  describe('accounts and passwords', () => {
    it('the accounts have one definition: db-init (ops db:init as root) makes them, before every service that signs in', () => {
      // No init script of the mongo image makes users: a second definition would drift.
      expect(svc('mongo').volumes!.some((v) => v.includes('docker-entrypoint-initdb.d'))).to.equal(false);
      expect(existsSync(join(ROOT, 'docker/mongo-init'))).to.equal(false);
      const init = svc('db-init');
      expect(init.profiles, 'runs on every up, not only on demand').to.equal(undefined);
      expect(init.build?.dockerfile).to.equal('Dockerfile.ops');
      expect(text(init.command)).to.equal('node ops/dist/cli/dbInit.js');
      expect(init.environment!.MONGO_URL).to.match(/^mongodb:\/\/\$\{MONGO_ROOT_USER:-root\}:\$\{MONGO_ROOT_PASS:\?/);
      for (const v of ['ADMIN_PASS', 'WRITER_PASS', 'READER_PASS'])
        expect(init.environment![v]).to.match(new RegExp(`^\\$\\{${v}:\\?`));
      for (const name of ['worker', 'producer', 'dashboard', 'status']) {
        const deps = svc(name).depends_on!;
        expect(deps['db-init'], `${name} waits for db-init`).to.deep.equal({
          condition: 'service_completed_successfully',
        });
      }
    });

    it('least privilege: producer and workers connect as writer, dashboard and status as reader', () => {
      const mongoUrl = (name: string) => svc(name).environment!.MONGO_URL!;
      for (const name of ['worker', 'producer']) {
        expect(mongoUrl(name)).to.match(
          /^mongodb:\/\/\$\{WRITER_USER:-writer\}:\$\{WRITER_PASS:\?[^}]*\}@mongo:27017\//,
        );
        expect(mongoUrl(name)).to.include('authSource=${DB_NAME');
      }
      for (const name of ['dashboard', 'status']) {
        expect(mongoUrl(name)).to.match(
          /^mongodb:\/\/\$\{READER_USER:-reader\}:\$\{READER_PASS:\?[^}]*\}@mongo:27017\//,
        );
        expect(mongoUrl(name)).to.include('authSource=${DB_NAME');
      }
      // Only what must create users or work across databases sees the root password.
      const withRoot = Object.entries(services)
        .filter(([, s]) => JSON.stringify(s.environment ?? {}).includes('MONGO_ROOT_PASS'))
        .map(([n]) => n)
        .sort();
      expect(withRoot).to.deep.equal(['db-init', 'mongo', 'test']);
      for (const name of ['worker', 'producer', 'dashboard', 'status']) {
        expect(svc(name).environment!.REDIS_URL).to.match(/^redis:\/\/:\$\{REDIS_PASSWORD:\?[^}]*\}@redis:6379\//);
        expect(svc(name).environment!.NODE_ENV, `${name} NODE_ENV`).to.equal('production');
      }
    });

    it('no password has a default: every one must come from .env', () => {
      expect(composeText).to.not.match(/\$\{[A-Z_]*(PASS|PASSWORD)(:?-)/);
      expect(composeText).to.match(/\$\{REDIS_PASSWORD:\?/);
    });
  });

  describe('the processes: worker, producer, dashboard and test', () => {
    it('worker is built from Dockerfile.worker, scalable (no container_name, no ports), and waits for healthy services', () => {
      const worker = svc('worker');
      expect(worker.build!.dockerfile).to.equal('Dockerfile.worker');
      expect(worker).to.not.have.property('container_name');
      expect(worker).to.not.have.property('ports');
      expect(worker.depends_on).to.deep.equal({
        'db-init': { condition: 'service_completed_successfully' },
        mongo: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
    });

    it('worker: its stop grace period is longer than SHUTDOWN_GRACE_MS', () => {
      const worker = svc('worker');
      const graceMs = Number(/:-(\d+)\}/.exec(worker.environment!.SHUTDOWN_GRACE_MS!)![1]);
      expect(graceMs).to.equal(loadWorkerConfig({}).SHUTDOWN_GRACE_MS);
      expect(seconds(worker.stop_grace_period!) * 1000).to.be.greaterThan(graceMs);
    });

    it('producer runs one enqueue --wait of data/synthetic_healthcare_dataset.csv, data/ mounted read-only and generated if absent', () => {
      const producer = svc('producer');
      expect(producer.build!.dockerfile).to.equal('Dockerfile.producer');
      expect(text(producer.command)).to.equal(
        'node producer/dist/cli/enqueue.js data/synthetic_healthcare_dataset.csv --wait',
      );
      // DATA_DIR (default ./data) is the host folder of the containers' data/.
      expect(producer.volumes).to.deep.equal(['${DATA_DIR:-./data}:/app/data:ro']);
      expect(svc('data-init').volumes).to.deep.equal(['${DATA_DIR:-./data}:/app/data']);
      // Not on worker: compose would scale the workers back to one on every `run producer`.
      expect(producer.depends_on).to.deep.equal({
        'db-init': { condition: 'service_completed_successfully' },
        'data-init': { condition: 'service_completed_successfully' },
        mongo: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
      const init = svc('data-init');
      // Only when absent (any file there, even empty, is the user's), never with --force.
      expect(text(init.command)).to.include('test -e data/synthetic_healthcare_dataset.csv ||');
      expect(text(init.command)).to.include(
        'generator/dist/cli/generate.js --out data/synthetic_healthcare_dataset.csv',
      );
      expect(text(init.command)).to.not.include('--force');
      expect(composeText).to.not.match(/[^_]healthcare_dataset\.csv/);
      expect(init.network_mode).to.equal('none');
      expect(init.user).to.match(/^\$\{HOST_UID:-\d+\}:\$\{HOST_GID:-\d+\}$/);
    });

    it('dashboard runs the operator image with basic auth from the environment, the reader account and its published port from .env', () => {
      const dashboard = svc('dashboard');
      expect(dashboard.build!.dockerfile).to.equal('Dockerfile.ops');
      expect(dashboard.image).to.equal('hcingest/ops:local');
      expect(text(dashboard.command)).to.equal('node ops/dist/cli/dashboard.js');
      expect(dashboard.environment!.DASHBOARD_USER).to.match(/^\$\{DASHBOARD_USER\b/);
      expect(dashboard.environment!.DASHBOARD_PASSWORD).to.match(/^\$\{DASHBOARD_PASSWORD:\?/);
      expect(dashboard.ports).to.deep.equal(['${DASHBOARD_PORT:-3000}:3000']);
      expect(healthText(dashboard)).to.equal('CMD node ops/dist/cli/healthcheck.js');
    });

    it('test (profile test) runs npm test against the compose mongo and redis', () => {
      const t = svc('test');
      expect(t.profiles).to.deep.equal(['test']);
      expect(text(t.command)).to.equal('npm test');
      expect(t.build).to.deep.include({ dockerfile: 'Dockerfile.producer', target: 'test' });
      expect(t.environment!.MONGO_URL).to.match(/@mongo:27017\//);
      expect(t.environment!.REDIS_URL).to.match(/^redis:\/\/:\$\{REDIS_PASSWORD:\?[^}]*\}@redis:6379\//);
      expect(t.depends_on).to.deep.equal({
        mongo: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
    });
  });

  describe('network: only the dashboard is published', () => {
    it('dashboard: listens on every interface inside its container (its port is published; the default is 127.0.0.1)', () => {
      const env = svc('dashboard').environment!;
      expect(env.DASHBOARD_HOST).to.equal('0.0.0.0');
      // The value the service gets is one the dashboard accepts, and differs from the default.
      expect(loadDashboardConfig({ DASHBOARD_HOST: String(env.DASHBOARD_HOST) }).DASHBOARD_HOST).to.equal('0.0.0.0');
      expect(loadDashboardConfig({}).DASHBOARD_HOST).to.equal('127.0.0.1');
      // The healthcheck probes the container's loopback, which 0.0.0.0 includes, on DASHBOARD_PORT.
      expect(read('ops/src/cli/healthcheck.ts')).to.include('http://127.0.0.1:${port}/healthz');
      expect(svc('dashboard').environment!.DASHBOARD_PORT).to.equal('3000');
    });

    it('puts every service on a private network and publishes nothing but the dashboard', () => {
      const published = Object.entries(services)
        .filter(([, s]) => s.ports !== undefined)
        .map(([n]) => n);
      expect(published).to.deep.equal(['dashboard']);
      expect(Object.values(services).filter((s) => s.container_name !== undefined)).to.have.lengthOf(0);
      expect(compose.networks.backend).to.deep.equal({ internal: true });
      for (const [name, s] of Object.entries(services)) {
        if (s.network_mode === 'none') continue;
        expect(s.networks, `${name} networks`).to.include('backend');
        if (name !== 'dashboard') expect(s.networks, `${name} networks`).to.deep.equal(['backend']);
      }
    });
  });
});

describe('deployment: Dockerfiles', () => {
  for (const path of ['Dockerfile.worker', 'Dockerfile.producer', 'Dockerfile.ops']) {
    describe(path, () => {
      const steps = dockerfile(path);
      const froms = steps.filter((s) => s.op === 'FROM');
      const last = froms.length - 1;
      const finalStage = steps.filter((s) => s.stage === last);

      it('is multi-stage: a build stage with dev dependencies, a runtime stage with production ones', () => {
        expect(froms.length).to.be.at.least(2);
        const build = steps.filter((s) => s.stage === 0);
        expect(froms[0]!.args).to.match(/ AS build$/i);
        expect(
          build.some((s) => s.op === 'RUN' && /\bnpm ci\b/.test(s.args) && !s.args.includes('--omit=dev')),
        ).to.equal(true);
        expect(build.some((s) => s.op === 'RUN' && s.args.includes('npm run build'))).to.equal(true);
        expect(
          finalStage.some((s) => s.op === 'RUN' && /npm ci --omit=dev --ignore-scripts/.test(s.args)),
          'runtime npm ci --omit=dev --ignore-scripts',
        ).to.equal(true);
        expect(
          finalStage.filter((s) => s.op === 'COPY' && /^--from=build \S+\/dist /.test(s.args)),
        ).to.have.length.greaterThan(0);
        expect(froms[last]!.args).to.match(/ AS runtime$/i);
      });

      it('uses a pinned Node LTS base image (a full version, no latest; a Go tool stage pinned as well)', () => {
        const stageNames = froms.map((f) => / AS (\S+)$/i.exec(f.args)?.[1]);
        for (const f of froms) {
          const image = f.args.split(/\s+/)[0]!;
          if (stageNames.includes(image)) continue;
          expect(image).to.not.match(/latest/);
          // A tool's build stage (Toxiproxy for the tests) is pinned to a full version too.
          if (image.startsWith('golang:')) {
            expect(image, `${image} pinned`).to.match(/^golang:\d+\.\d+\.\d+-[a-z0-9-]+$/);
            continue;
          }
          const m = /^node:(\d+)\.(\d+)\.(\d+)-[a-z0-9-]+$/.exec(image);
          expect(m, `${image} pinned`).to.not.equal(null);
          expect(Number(m![1]) % 2, 'even major: an LTS line').to.equal(0);
          expect(Number(m![1])).to.be.at.least(20);
        }
      });

      it('runs as a non-root user', () => {
        const users = finalStage.filter((s) => s.op === 'USER');
        expect(users).to.have.length.greaterThan(0);
        expect(users.at(-1)!.args).to.not.match(/^(root|0)(:|$)/);
        const userAt = finalStage.indexOf(users.at(-1)!);
        const cmdAt = finalStage.findIndex((s) => s.op === 'CMD' || s.op === 'ENTRYPOINT');
        expect(cmdAt).to.be.greaterThan(userAt);
      });

      it("installs only its own workspaces' production dependencies and copies only their build", () => {
        const own: Record<string, string[]> = {
          'Dockerfile.worker': ['worker'],
          'Dockerfile.producer': ['producer'],
          'Dockerfile.ops': ['ops', 'generator'],
        };
        const install = finalStage.find((s) => s.op === 'RUN' && /npm ci --omit=dev/.test(s.args))!;
        const workspaces = [...install.args.matchAll(/-w @hcingest\/(\w+)/g)].map((m) => m[1]);
        expect(workspaces).to.deep.equal(own[path]);
        const copied = finalStage
          .filter((s) => s.op === 'COPY' && s.args.startsWith('--from=build'))
          .map((s) => /\/app\/(\w+)\/dist/.exec(s.args)?.[1]);
        expect(copied).to.deep.equal(['shared', ...own[path]!]);
      });

      it('declares its HEALTHCHECK', () => {
        expect(finalStage.filter((s) => s.op === 'HEALTHCHECK')).to.have.length(1);
      });
    });
  }

  it('the worker image probes /healthz on WORKER_HTTP_PORT (9464 by default)', () => {
    const check = dockerfile('Dockerfile.worker').find((s) => s.op === 'HEALTHCHECK')!;
    expect(check.args).to.match(/CMD \["node", "-e", /);
    expect(check.args).to.include('/healthz');
    expect(check.args).to.include("process.env.WORKER_HTTP_PORT || '9464'");
    expect(svc('worker').environment!.WORKER_HTTP_PORT).to.equal('9464');
  });

  it('the producer image has a test stage for the compose test service', () => {
    const froms = dockerfile('Dockerfile.producer').filter((s) => s.op === 'FROM');
    expect(froms.map((f) => f.args)).to.include('build AS test');
  });

  it("the test stage has the set-up's Toxiproxy version at TOXIPROXY_BIN, and redis-server for the local cluster", () => {
    const steps = dockerfile('Dockerfile.producer');
    const version = (JSON.parse(read('scripts/lib/versions.json')) as { toxiproxy: string }).toxiproxy;
    const build = steps.find((s) => s.op === 'RUN' && s.args.includes('toxiproxy'))!;
    expect(build.args).to.include(`github.com/Shopify/toxiproxy/v2/cmd/server@v${version}`);
    const test = steps.slice(steps.findIndex((s) => s.op === 'FROM' && s.args === 'build AS test'));
    const copy = test.find((s) => s.op === 'COPY' && s.args.includes('toxiproxy-server'))!;
    const bin = test.find((s) => s.op === 'ENV' && s.args.startsWith('TOXIPROXY_BIN='))!;
    expect(copy.args.split(' ').pop()).to.equal(bin.args.split('=')[1]);
    expect(test.some((s) => s.op === 'RUN' && s.args.includes('redis-server'))).to.equal(true);
  });

  it('.dockerignore keeps dependencies, build output, git, secrets and data out of the context', () => {
    const ignore = read('.dockerignore').split('\n');
    for (const entry of ['**/node_modules', '**/dist', '.git', '.env', 'data/*.csv', 'test-output'])
      expect(ignore, entry).to.include(entry);
    expect(ignore).to.include('!.env.template');
  });

  it('.env stays git-ignored', () => {
    expect(read('.gitignore').split('\n')).to.include('.env');
  });
});

describe('deployment: .env.template', () => {
  const documented = templateVariables();

  it('documents every variable docker-compose.yml references', () => {
    const vars = composeVariables();
    expect(vars).to.include.members(['MONGO_ROOT_USER', 'MONGO_ROOT_PASS', 'REDIS_PASSWORD', 'DASHBOARD_PASSWORD']);
    for (const v of vars) expect(documented.get(v), `${v} in .env.template`).to.deep.equal({ documented: true });
  });

  it("documents every setting of the processes' schemas", () => {
    const schemas = [
      'shared/src/config/sharedSchema.ts',
      'shared/src/config/waitSchema.ts',
      'producer/src/settings.ts',
      'worker/src/settings.ts',
      'ops/src/settings/dashboardSchema.ts',
      'ops/src/settings/dbUsersSchema.ts',
    ];
    const keys = schemas.flatMap((f) => [...read(f).matchAll(/\benv: '([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1]!));
    expect(keys).to.include.members(['MONGO_URL', 'REDIS_URL', 'ADMIN_PASS', 'READER_USER']);
    for (const k of keys) expect(documented.get(k), `${k} in .env.template`).to.deep.equal({ documented: true });
  });

  it('documents every setting npm start, npm run stop and the set-up read', () => {
    const scripts = [
      'scripts/setup.mjs',
      'scripts/lib/setup.mjs',
      'scripts/lib/paths.mjs',
      'scripts/lib/dotEnv.mjs',
      'devstack/src/cli/start.ts',
      'devstack/src/cli/startOptions.ts',
      'devstack/src/cli/stop.ts',
      'devstack/src/paths.ts',
      'devstack/src/tools.ts',
      'devstack/src/stack/stack.ts',
      'devstack/src/stack/localServers.ts',
    ];
    const keys = new Set(
      scripts.flatMap((f) =>
        [...read(f).matchAll(/\benv\.([A-Z][A-Z0-9_]*)|portSetting\('([A-Z][A-Z0-9_]*)'/g)].map((m) => (m[1] ?? m[2])!),
      ),
    );
    expect([...keys]).to.include.members([
      'LOCAL_STACK_DIR',
      'LOCAL_REDIS_PORT',
      'LOCAL_MONGO_PORT',
      'SECANTUS_VENV',
      'ENV_FILE',
    ]);
    for (const k of keys) expect(documented.get(k), `${k} in .env.template`).to.deep.equal({ documented: true });
  });

  it("documents at least the seed's variables", () => {
    for (const v of [
      'DB_NAME',
      'COLLECTION_NAME',
      'MONGO_ROOT_USER',
      'MONGO_ROOT_PASS',
      'READER_USER',
      'READER_PASS',
      'WRITER_USER',
      'WRITER_PASS',
    ])
      expect(documented.has(v), v).to.equal(true);
  });

  it('holds only placeholder passwords, which production refuses', () => {
    const values = new Map(
      read('.env.template')
        .split('\n')
        .map((l) => /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(l))
        .filter((m) => m !== null)
        .map((m) => [m[1]!, m[2]!]),
    );
    const secrets = [...values.keys()].filter((k) => /(PASS|PASSWORD)$/.test(k));
    expect(secrets).to.have.length(6);
    for (const k of secrets) expect(values.get(k), k).to.equal(PASSWORD_PLACEHOLDER);
    const composeLike = {
      NODE_ENV: 'production',
      MONGO_URL: `mongodb://writer:${values.get('WRITER_PASS')}@mongo:27017/healthcare?authSource=healthcare`,
      REDIS_URL: `redis://:${values.get('REDIS_PASSWORD')}@redis:6379/0`,
    };
    expect(() => loadConfig(composeLike)).to.throw(ConfigError, /MONGO_URL[\s\S]*REDIS_URL/);
  });
});

describe('least privilege configuration', () => {
  const good = {
    NODE_ENV: 'production',
    MONGO_URL: 'mongodb://writer:Wr1te-S3cret@mongo:27017/healthcare?authSource=healthcare',
    REDIS_URL: 'redis://:R3dis-S3cret@redis:6379/0',
  };
  function refusal(env: NodeJS.ProcessEnv, load: (env: NodeJS.ProcessEnv) => unknown = loadConfig): ConfigError {
    try {
      load(env);
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      return err as ConfigError;
    }
    return expect.fail('expected a ConfigError');
  }

  it('starts in production with real passwords', () => {
    expect(loadConfig(good).NODE_ENV).to.equal('production');
  });

  it('refuses, in production, an empty, missing or placeholder password, naming the variable only', () => {
    for (const [name, url] of [
      ['MONGO_URL', 'mongodb://writer:change-me@mongo:27017/?authSource=healthcare'],
      ['MONGO_URL', 'mongodb://writer:@mongo:27017/'],
      ['MONGO_URL', 'mongodb://mongo:27017/'],
      ['REDIS_URL', 'redis://:CHANGE-ME@redis:6379'],
      ['REDIS_URL', 'redis://redis:6379'],
    ] as const) {
      const err = refusal({ ...good, [name]: url });
      expect(err.message).to.include(name);
      expect(err.message).to.not.include('writer:');
      expect(err.message).to.not.include('S3cret');
    }
  });

  it('does not apply the check outside production', () => {
    expect(loadConfig({ NODE_ENV: 'development', MONGO_URL: 'mongodb://u:change-me@h/' }).NODE_ENV).to.equal(
      'development',
    );
    expect(loadConfig({}).MONGO_URL).to.equal('mongodb://127.0.0.1:27017');
  });

  it('can limit the check to the connections a command uses (db:init: MongoDB only)', () => {
    const env = { ...good, REDIS_URL: 'redis://127.0.0.1:6379' };
    expect(() => loadConfig(env)).to.throw(ConfigError, /REDIS_URL/);
    expect(loadConfig(env, { secrets: ['MONGO_URL'] }).NODE_ENV).to.equal('production');
  });

  it('finds the password of a connection string, decoded', () => {
    expect(urlPassword('mongodb://u:p%40ss@h1:27017,h2:27017/db?x=1')).to.equal('p@ss');
    expect(urlPassword('redis://:pw@h:6379/0')).to.equal('pw');
    expect(urlPassword('mongodb://u@h/')).to.equal('');
    expect(urlPassword('mongodb://h/')).to.equal('');
    expect(isWeakSecret('')).to.equal(true);
    expect(isWeakSecret('  ')).to.equal(true);
    expect(isWeakSecret('changeme')).to.equal(true);
    expect(isWeakSecret('c8f1e0b2')).to.equal(false);
  });

  it('db:init accounts: passwords required, placeholders refused in production, names distinct', () => {
    const users = { ADMIN_PASS: 'a-S3cret', WRITER_PASS: 'w-S3cret', READER_PASS: 'r-S3cret' };
    expect(loadDbUsersConfig(users)).to.deep.equal({
      ADMIN_USER: 'admin',
      WRITER_USER: 'writer',
      READER_USER: 'reader',
      ...users,
    });
    const missing = refusal({ ADMIN_PASS: 'a-S3cret' }, loadDbUsersConfig);
    expect(missing.message).to.include('WRITER_PASS').and.to.include('READER_PASS');
    expect(missing.message).to.not.include('a-S3cret');
    const placeholder = refusal({ ...users, NODE_ENV: 'production', READER_PASS: 'change-me' }, loadDbUsersConfig);
    expect(placeholder.message).to.include('READER_PASS');
    expect(loadDbUsersConfig({ ...users, READER_PASS: 'change-me' }).READER_PASS).to.equal('change-me');
    expect(refusal({ ...users, READER_USER: 'writer' }, loadDbUsersConfig).message).to.include('different');
  });

  it('log safety net: connection-string credentials are stripped from error texts', () => {
    expect(redactCredentials('connect to mongodb://w:s3cret@db:27017/x and redis://:p@ss@r:6379 failed')).to.equal(
      'connect to mongodb://***@db:27017/x and redis://***@r:6379 failed',
    );
  });
});

describe('deployment: producer heap bound', () => {
  const flag = PRODUCER_NODE_FLAGS.join(' ');
  it('starts the producer with the same node flags in the npm script, the image and the benchmark', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.enqueue).to.equal(`node ${flag} producer/dist/cli/enqueue.js`);
    const steps = dockerfile('Dockerfile.producer');
    const last = Math.max(...steps.map((s) => s.stage));
    const runtime = steps.filter((s) => s.stage === last);
    expect(runtime.some((s) => s.op === 'ENV' && s.args === `NODE_OPTIONS=${flag}`)).to.equal(true);
    expect(readFileSync(join(ROOT, 'bench/src/processes/producer.ts'), 'utf8')).to.include('PRODUCER_NODE_FLAGS');
  });
});
