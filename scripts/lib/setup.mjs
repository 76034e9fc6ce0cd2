// @ts-check
/**
 * Sets up what `npm start` and `npm test` need on this machine, idempotently, with nothing but
 * Node and a shell (it runs before `npm ci`): redis-server and Chromium from apt when missing,
 * SecantusDB in a virtualenv of the state folder, Toxiproxy (tests only: go install), `npm ci` when node_modules is missing or older
 * than package-lock.json, and the build; for npm run test:compose on a machine without a Docker
 * engine, podman and what it needs (apt) and Docker Compose v2 (built with Go). Everything that cannot be set up is found before anything
 * is installed, and reported with what to install or which variable to set instead.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, VERSIONS, composeBin, composeEngine, secantusVenv, shown, toxiproxyBin } from './paths.mjs';

export class SetupError extends Error {}

/**
 * @typedef {object} Needs
 * @property {boolean} redis     a redis-server binary (no REDIS_URL given)
 * @property {boolean} store     SecantusDB (no MONGO_URL given)
 * @property {boolean} [browser] Chromium for the dashboard's browser test (best effort)
 * @property {boolean} [toxiproxy] Toxiproxy for the network-partition fault tests (built with Go)
 * @property {boolean} [compose] a container engine and Docker Compose v2 for npm run test:compose
 */

/**
 * Debian packages that run the compose stack on podman here: runc (crun fails on this kernel's
 * hybrid cgroups), netavark and aardvark-dns (networks, service names), iptables (netavark's NAT
 * and published ports) and debootstrap (the stand-in base images).
 */
const PODMAN_PACKAGES = ['podman', 'runc', 'netavark', 'aardvark-dns', 'iptables', 'debootstrap'];

/** @param {string[]} packages @returns {string[]} those dpkg does not have installed */
function missingDebs(packages) {
  return packages.filter((name) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${db:Status-Status}', name], { encoding: 'utf8' });
    return r.status !== 0 || r.stdout.trim() !== 'installed';
  });
}

/** @param {string} line */
const say = (line) => process.stderr.write(`setup: ${line}\n`);

/** @param {string} name @returns {string | undefined} the command's path on PATH */
function which(name) {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

/**
 * Runs a command, its output shown only when it fails.
 * @param {string} cmd @param {string[]} args @param {string} what
 * @param {{ env?: NodeJS.ProcessEnv, inherit?: boolean }} [opts]
 */
function run(cmd, args, what, opts = {}) {
  const r = spawnSync(cmd, args, {
    cwd: ROOT,
    env: opts.env ?? process.env,
    encoding: 'utf8',
    stdio: opts.inherit ? ['ignore', process.stderr, 'inherit'] : ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new SetupError(
      `${what} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`})${output ? `:\n${output}` : ''}`,
    );
  }
}

/** How apt can be run here: as root, through passwordless sudo, or not at all. */
function aptRunner() {
  if (!which('apt-get')) return undefined;
  if (process.getuid?.() === 0) return [];
  if (which('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0) return ['sudo', '-n'];
  return undefined;
}

/** The Python the virtualenv is made with, or why there is none. */
function findPython() {
  const python = which('python3');
  if (!python) return { problem: 'Python 3 (3.10 or later) is not installed', apt: ['python3', 'python3-venv'] };
  const r = spawnSync(python, ['-c', 'import sys, venv, ensurepip; print(sys.version_info >= (3, 10))'], {
    encoding: 'utf8',
  });
  if (r.status !== 0)
    return { python, problem: `${python} cannot create a virtualenv (no venv/ensurepip)`, apt: ['python3-venv'] };
  if (r.stdout.trim() !== 'True') return { python, problem: `${python} is older than 3.10`, apt: [] };
  return { python };
}

/** @param {string} venv */
function secantusInstalled(venv) {
  const r = spawnSync(
    join(venv, 'bin', 'python'),
    ['-c', `import importlib.metadata as m; print(m.version('SecantusDB'))`],
    { encoding: 'utf8' },
  );
  return r.status === 0 && r.stdout.trim() === VERSIONS.secantus && existsSync(join(venv, 'bin', 'secantusd-py'));
}

/**
 * Builds Toxiproxy's server with `go install` into a temporary folder next to its place, then
 * renames it there: an interrupted run leaves no half-installed binary that would count as installed.
 * @param {string} bin where toxiproxy-server goes
 */
function installToxiproxy(bin) {
  const version = VERSIONS.toxiproxy;
  say(`installing Toxiproxy ${version} into ${shown(dirname(bin))} (go install; about 20 s)`);
  mkdirSync(dirname(dirname(bin)), { recursive: true });
  const tmp = mkdtempSync(join(dirname(dirname(bin)), `.toxiproxy-${version}-`));
  try {
    run(
      'go',
      ['install', `github.com/Shopify/toxiproxy/v2/cmd/server@v${version}`],
      `go install toxiproxy@v${version}`,
      {
        env: { ...process.env, GOBIN: tmp },
      },
    );
    rmSync(dirname(bin), { recursive: true, force: true });
    mkdirSync(dirname(bin), { recursive: true });
    renameSync(join(tmp, 'server'), bin);
  } catch (err) {
    throw new SetupError(
      `${/** @type {Error} */ (err).message}\nToxiproxy is built from github.com/Shopify/toxiproxy (Go needs to reach it, or set GOPROXY), or set TOXIPROXY_BIN`,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Builds Docker Compose v2 from the Go module proxy (`go install` refuses the module for its
 * exclude directives): `go mod download` of the module, a writable copy of it, and `go build` of
 * its ./cmd there, into a temporary folder next to its place, then renamed there.
 * @param {string} bin where docker-compose goes
 */
function installCompose(bin) {
  const version = VERSIONS.compose;
  const module = 'github.com/docker/compose/v2';
  say(`building Docker Compose v${version} into ${shown(dirname(bin))} (go build; 3-6 min the first time)`);
  mkdirSync(dirname(dirname(bin)), { recursive: true });
  const tmp = mkdtempSync(join(dirname(dirname(bin)), `.compose-${version}-`));
  try {
    const r = spawnSync('go', ['mod', 'download', '-json', `${module}@v${version}`], {
      cwd: tmp,
      encoding: 'utf8',
      env: { ...process.env, GOFLAGS: '-mod=mod' },
    });
    const dir = r.status === 0 ? /** @type {{ Dir?: string }} */ (JSON.parse(r.stdout)).Dir : undefined;
    if (!dir) throw new SetupError(`go mod download ${module}@v${version} failed: ${(r.stderr || r.stdout).trim()}`);
    const src = join(tmp, 'src');
    cpSync(dir, src, { recursive: true });
    run('chmod', ['-R', 'u+w', src], 'making the Compose sources writable');
    const out = join(tmp, 'docker-compose');
    run(
      'go',
      [
        'build',
        '-C',
        src,
        '-trimpath',
        '-ldflags',
        `-s -w -X ${module}/internal.Version=v${version}`,
        '-o',
        out,
        './cmd',
      ],
      `go build of Docker Compose v${version}`,
    );
    rmSync(dirname(bin), { recursive: true, force: true });
    mkdirSync(dirname(bin), { recursive: true });
    renameSync(out, bin);
  } catch (err) {
    throw new SetupError(
      `${/** @type {Error} */ (err).message}\nDocker Compose is built from ${module} (Go needs to reach it, or set GOPROXY), or set COMPOSE_BIN`,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * What npm run test:compose needs that is missing: with a Docker engine, nothing but its compose
 * plugin; otherwise podman's Debian packages and a Compose v2 binary.
 * @param {string[] | undefined} canApt
 * `aptProblem`: one of the problems is podman's packages, which apt could not install.
 * @returns {{ apt: string[], problems: string[], aptProblem: boolean, buildCompose: boolean }}
 */
function composeNeeds(canApt) {
  let engine;
  try {
    engine = composeEngine();
  } catch (err) {
    return { apt: [], problems: [/** @type {Error} */ (err).message], aptProblem: false, buildCompose: false };
  }
  if (engine === 'docker') {
    const answers =
      spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'ignore', timeout: 10_000 }).status ===
      0;
    const plugin = answers && spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0;
    const problem = !answers
      ? 'COMPOSE_ENGINE=docker, but no Docker engine answers `docker info`: start Docker, or unset COMPOSE_ENGINE to use podman'
      : 'the Docker engine answers but `docker compose` does not: install the compose plugin';
    return { apt: [], problems: plugin ? [] : [problem], aptProblem: false, buildCompose: false };
  }
  const missing = missingDebs(PODMAN_PACKAGES);
  const problems = [];
  const aptProblem = missing.length > 0 && !canApt;
  if (aptProblem)
    problems.push(
      `no Docker engine answers, and podman's packages are missing (${missing.join(', ')}): install them ` +
        `(Debian/Ubuntu: sudo apt-get install ${missing.join(' ')}), or run with Docker (COMPOSE_ENGINE=docker)`,
    );
  const buildCompose = !existsSync(composeBin());
  if (buildCompose && !which('go'))
    problems.push(
      `Docker Compose v${VERSIONS.compose} is not built and Go is not on PATH to build it: install Go 1.24 or later, ` +
        'or set COMPOSE_BIN to a docker-compose binary',
    );
  return { apt: canApt ? missing : [], problems, aptProblem, buildCompose };
}

/**
 * What is missing, found before anything is installed.
 * @typedef {object} Missing
 * @property {string[] | undefined} canApt  how apt-get is run (see aptRunner), or undefined
 * @property {string[]} apt        Debian packages to install
 * @property {string[]} problems   what cannot be set up here (the set-up then stops)
 * @property {number} aptProblems  how many of the problems apt could have mended
 * @property {string[]} optional   what is only said (a test will be skipped)
 * @property {string} venv         SecantusDB's virtualenv
 * @property {boolean} wantStore   SecantusDB is to be installed
 * @property {ReturnType<typeof findPython> | undefined} python  the Python to make the virtualenv with
 * @property {boolean} wantToxiproxy  Toxiproxy is to be built
 * @property {boolean} buildCompose   Docker Compose v2 is to be built
 */

/** @param {Needs} needs @param {Missing} m */
function missingServers(needs, m) {
  if (needs.redis && !which('redis-server')) {
    if (m.canApt) m.apt.push('redis-server');
    else
      m.problems.push(
        'redis-server is not installed: install it (Debian/Ubuntu: sudo apt-get install redis-server; ' +
          'macOS: brew install redis), or set REDIS_URL to a Redis of your own',
      );
  }
  m.python = m.wantStore ? findPython() : undefined;
  if (m.python?.problem) {
    const { apt } = m.python;
    if (m.canApt && apt.length) m.apt.push(...apt);
    else
      m.problems.push(
        `${m.python.problem}: install ${apt.length ? apt.join(' and ') : 'Python 3.10 or later'}` +
          ` (Debian/Ubuntu: sudo apt-get install ${apt.join(' ') || 'python3'}), ` +
          'or set MONGO_URL to a MongoDB of your own (an account that may create users)',
      );
  }
}

/** The tests' tools: Chromium (optional), a container engine and Compose, Toxiproxy. @param {Needs} needs @param {Missing} m */
function missingTestTools(needs, m) {
  if (needs.browser && !existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
    if (m.canApt) m.apt.push('chromium');
    else
      m.optional.push(
        'Chromium is not installed: the dashboard browser test will be skipped (apt-get install chromium, or set CHROMIUM_PATH)',
      );
  }
  if (needs.compose) {
    const compose = composeNeeds(m.canApt);
    m.apt.push(...compose.apt);
    // Those apt could have mended (the header then says why it could not).
    m.aptProblems = m.problems.length + (compose.aptProblem ? 1 : 0);
    m.problems.push(...compose.problems);
    m.buildCompose = compose.buildCompose;
  }
  if (m.wantToxiproxy && !which('go')) {
    m.problems.push(
      `Toxiproxy ${VERSIONS.toxiproxy} (the network-partition fault tests) is not installed and Go is not on PATH to ` +
        `build it: install Go 1.22 or later (https://go.dev/dl; Debian/Ubuntu: sudo apt-get install golang-go), ` +
        'or set TOXIPROXY_BIN to a toxiproxy-server binary',
    );
  }
}

/** 1. Finds everything that is missing, before installing anything. @param {Needs} needs @returns {Missing} */
function findMissing(needs) {
  const venv = secantusVenv();
  /** @type {Missing} */
  const m = {
    canApt: aptRunner(),
    apt: [],
    problems: [],
    aptProblems: 0,
    optional: [],
    venv,
    wantStore: needs.store && !secantusInstalled(venv),
    python: undefined,
    wantToxiproxy: needs.toxiproxy === true && !existsSync(toxiproxyBin()),
    buildCompose: false,
  };
  missingServers(needs, m);
  m.aptProblems = m.problems.length;
  missingTestTools(needs, m);
  return m;
}

/** Stops the set-up when something cannot be set up here, saying what to install or set. @param {Missing} m */
function refuseProblems(m) {
  if (m.problems.length) {
    const why = which('apt-get') ? 'apt-get needs root or passwordless sudo' : 'there is no apt-get here';
    throw new SetupError(
      `cannot set up this machine${m.aptProblems ? ` (${why})` : ''}:\n  - ${m.problems.join('\n  - ')}`,
    );
  }
  for (const line of m.optional) say(line);
}

/** 2a. The Debian packages. @param {Missing} m */
function installDebs(m) {
  const canApt = m.canApt;
  if (!m.apt.length || !canApt) return;
  /** @param {string[]} args */
  const asRoot = (args) => /** @type {[string, string[]]} */ ([[...canApt, ...args][0], [...canApt, ...args].slice(1)]);
  say(`installing ${m.apt.join(', ')} (apt-get; about a minute)`);
  run(...asRoot(['apt-get', 'update', '-qq']), 'apt-get update');
  run(...asRoot(['apt-get', 'install', '-y', '-qq', ...m.apt]), `apt-get install ${m.apt.join(' ')}`, {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  // Debian starts a system-wide redis-server on install; the local stack and the tests run their own.
  if (m.apt.includes('redis-server')) spawnSync(...asRoot(['service', 'redis-server', 'stop']), { stdio: 'ignore' });
  if (m.python?.problem) m.python = findPython();
}

/** 2b. SecantusDB in its virtualenv. @param {Missing} m */
function installSecantus(m) {
  const { python, venv } = m;
  if (!python?.python || python.problem)
    throw new SetupError(`no usable Python 3.10+ after installing: ${python?.problem}`);
  say(`installing SecantusDB==${VERSIONS.secantus} into ${shown(venv)} (pip; about a minute)`);
  rmSync(venv, { recursive: true, force: true }); // a half-made virtualenv from an interrupted run
  run(python.python, ['-m', 'venv', venv], `creating the virtualenv ${shown(venv)}`);
  try {
    run(
      join(venv, 'bin', 'pip'),
      ['install', '--quiet', '--disable-pip-version-check', `SecantusDB==${VERSIONS.secantus}`],
      `pip install SecantusDB==${VERSIONS.secantus}`,
    );
  } catch (err) {
    throw new SetupError(
      `${/** @type {Error} */ (err).message}\nSecantusDB comes from PyPI (pip needs to reach it), or set MONGO_URL to a MongoDB of your own`,
    );
  }
}

/** 3. The Node dependencies (npm ci when missing or stale) and the build. */
function installNodeAndBuild() {
  const installed = join(ROOT, 'node_modules', '.package-lock.json');
  const lock = join(ROOT, 'package-lock.json');
  if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
    say('installing the Node dependencies (npm ci)');
    run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], 'npm ci', { inherit: true });
  }
  const firstBuild = !existsSync(join(ROOT, 'worker', 'dist'));
  if (firstBuild) say('building (tsc)');
  // tsc -b is incremental: well under a second when nothing changed.
  run(
    process.execPath,
    [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'tsconfig.json'],
    'the build (tsc -b)',
  );
}

/**
 * @param {Needs} needs
 * @returns {Promise<{ secantusd?: string }>}
 */
export async function setUp(needs) {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19))
    throw new SetupError(`Node ${process.versions.node} is too old: install Node 20.19 or later (https://nodejs.org)`);
  const missing = findMissing(needs);
  refuseProblems(missing);
  installDebs(missing);
  if (missing.wantStore) installSecantus(missing);
  if (missing.wantToxiproxy) installToxiproxy(toxiproxyBin());
  if (missing.buildCompose) installCompose(composeBin());
  installNodeAndBuild();
  return needs.store ? { secantusd: join(missing.venv, 'bin', 'secantusd-py') } : {};
}
