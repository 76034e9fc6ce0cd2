import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { VERSIONS } from '@hcingest/devstack';
import { ROOT } from '../paths.js';
import type { Podman } from './podman.js';

/**
 * The stand-in images the compose stack runs on where no registry can be reached: a Debian
 * bookworm base made with debootstrap and this machine's CA bundle, then Node.js, Go and Redis
 * under the official tags the Dockerfiles and docker-compose.yml name (so they run unchanged), and
 * SecantusDB in place of MongoDB (the test override names it). Each image carries a label with the
 * hash of its inputs; it is built again only when they change.
 */

const STANDINS = join(ROOT, 'test', 'compose', 'standins');
const LABEL = 'io.hcingest.standin.inputs';
const CA_BUNDLE = process.env.HCINGEST_CA_BUNDLE ?? '/etc/ssl/certs/ca-certificates.crt';

/** What buildBase does: change it with buildBase, so that the base (and every stand-in) is built again. */
const BASE_RECIPE = 'debootstrap --variant=minbase bookworm; the CA bundle as file and as certificates; v1';

export const BASE_IMAGE = 'localhost/hcingest-standin/debian:bookworm';
export const MONGO_STANDIN = `localhost/hcingest-standin/mongo:secantus-${VERSIONS.secantus}`;

interface Standin {
  tag: string;
  /** what it is built from, hashed into its label */
  inputs: () => string[];
  build: (podman: Podman, label: string) => Promise<void>;
}

const hash = (parts: string[]) => createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32);
const fileText = (path: string) => readFileSync(path, 'utf8');
const say = (line: string) => process.stderr.write(`      stand-ins: ${line}\n`);

function commandOutput(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
}

/** Runs a command with its output kept for the error, as podman build and debootstrap are long. */
function runLogged(cmd: string, args: string[], env: NodeJS.ProcessEnv, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const keep = (d: Buffer) => (out = (out + d.toString()).slice(-6000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${what} failed (exit ${code}):\n${out}`))));
  });
}

function podmanBuild(podman: Podman, file: string, context: string, tag: string, label: string, args: string[] = []) {
  return runLogged(
    'podman',
    [
      'build',
      '--pull=never',
      '--network',
      'host',
      '--label',
      `${LABEL}=${label}`,
      '-f',
      file,
      '-t',
      tag,
      ...args,
      context,
    ],
    podman.env,
    `podman build ${tag}`,
  );
}

/** debootstrap's minimal bookworm, with this machine's CA bundle as the system bundle and as single certificates (so that an image that installs Debian's ca-certificates keeps them). */
async function buildBase(podman: Podman, label: string): Promise<void> {
  const work = mkdtempSync(join(podman.home, 'rootfs-'));
  try {
    const rootfs = join(work, 'rootfs');
    say('debootstrap --variant=minbase bookworm (about a minute)');
    await runLogged(
      'debootstrap',
      ['--variant=minbase', 'bookworm', rootfs, 'http://deb.debian.org/debian'],
      process.env,
      'debootstrap',
    );
    mkdirSync(join(rootfs, 'etc/ssl/certs'), { recursive: true });
    cpSync(CA_BUNDLE, join(rootfs, 'etc/ssl/certs/ca-certificates.crt'));
    const local = join(rootfs, 'usr/local/share/ca-certificates');
    mkdirSync(local, { recursive: true });
    const certs = fileText(CA_BUNDLE).match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
    certs.forEach((pem, i) => writeFileSync(join(local, `host-${String(i).padStart(3, '0')}.crt`), `${pem}\n`));
    for (const dir of ['var/cache/apt/archives', 'var/lib/apt/lists'])
      for (const f of readdirSync(join(rootfs, dir), { withFileTypes: true }))
        if (f.isFile()) rmSync(join(rootfs, dir, f.name));
    await runLogged(
      'sh',
      [
        '-c',
        'tar -C "$1" -c . | podman import --change "$2" --change \'CMD ["bash"]\' - "$3"',
        'import',
        rootfs,
        `LABEL ${LABEL}=${label}`,
        BASE_IMAGE,
      ],
      podman.env,
      'podman import of the base',
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** This machine's node binary and npm package, laid out as the node stand-in's build context. */
function nodeContext(): { dir: string; cleanup: () => void } {
  const npmDir = dirname(dirname(realpathSync(commandOutput('sh', ['-c', 'command -v npm']))));
  const dir = mkdtempSync(join(ROOT, '.hcingest', 'node-context-'));
  cpSync(process.execPath, join(dir, 'node'));
  cpSync(npmDir, join(dir, 'npm'), { recursive: true });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const goRoot = () => commandOutput('go', ['env', 'GOROOT']);

const STANDIN_LIST: Standin[] = [
  {
    tag: BASE_IMAGE,
    inputs: () => [BASE_RECIPE, fileText(CA_BUNDLE)],
    build: buildBase,
  },
  {
    tag: 'docker.io/library/node:20.19.5-bookworm-slim',
    inputs: () => [
      fileText(join(STANDINS, 'node.Containerfile')),
      process.version,
      commandOutput('npm', ['--version']),
    ],
    build: async (podman, label) => {
      const ctx = nodeContext();
      try {
        await podmanBuild(
          podman,
          join(STANDINS, 'node.Containerfile'),
          ctx.dir,
          'docker.io/library/node:20.19.5-bookworm-slim',
          label,
        );
      } finally {
        ctx.cleanup();
      }
    },
  },
  {
    tag: 'docker.io/library/golang:1.22.12-bookworm',
    inputs: () => [fileText(join(STANDINS, 'golang.Containerfile')), commandOutput('go', ['version'])],
    build: (podman, label) =>
      podmanBuild(
        podman,
        join(STANDINS, 'golang.Containerfile'),
        goRoot(),
        'docker.io/library/golang:1.22.12-bookworm',
        label,
      ),
  },
  {
    tag: 'docker.io/library/redis:7.4.2-alpine',
    inputs: () => [fileText(join(STANDINS, 'redis.Containerfile'))],
    build: (podman, label) =>
      podmanBuild(
        podman,
        join(STANDINS, 'redis.Containerfile'),
        STANDINS,
        'docker.io/library/redis:7.4.2-alpine',
        label,
      ),
  },
  {
    tag: MONGO_STANDIN,
    inputs: () => [
      VERSIONS.secantus,
      ...['secantus.Containerfile', 'docker-entrypoint.sh', 'mongo-hello'].map((f) => fileText(join(STANDINS, f))),
    ],
    build: (podman, label) =>
      podmanBuild(podman, join(STANDINS, 'secantus.Containerfile'), STANDINS, MONGO_STANDIN, label, [
        '--build-arg',
        `SECANTUS_VERSION=${VERSIONS.secantus}`,
      ]),
  },
];

async function labelOf(podman: Podman, tag: string): Promise<string | undefined> {
  const out = await podman
    .run(['image', 'inspect', '--format', `{{index .Config.Labels "${LABEL}"}}`, tag])
    .catch(() => undefined);
  return out?.trim() || undefined;
}

/**
 * Builds every stand-in whose inputs changed (or that is missing), in order: each one after the
 * base, whose label feeds theirs, so that a new base rebuilds them all.
 */
export async function ensureStandins(podman: Podman): Promise<{ built: string[]; seconds: number }> {
  const started = Date.now();
  const built: string[] = [];
  let baseLabel = '';
  for (const standin of STANDIN_LIST) {
    const label = hash([baseLabel, ...standin.inputs()]);
    if (standin.tag === BASE_IMAGE) baseLabel = label;
    if ((await labelOf(podman, standin.tag)) === label) continue;
    const t = Date.now();
    say(`building ${standin.tag}`);
    await standin.build(podman, label);
    say(`built ${standin.tag} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    built.push(standin.tag);
  }
  return { built, seconds: (Date.now() - started) / 1000 };
}
