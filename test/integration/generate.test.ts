import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT, SCRIPTS } from '../harness/paths.js';

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command in `cwd` to completion, capturing its output. */
function runIn(cwd: string, command: string, args: string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, LOG_LEVEL: 'info' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const generate = (cwd: string, args: string[]) => runIn(cwd, process.execPath, [SCRIPTS.generate, ...args]);

/** A refusal: exit 2, nothing on stdout, exactly one line on stderr (no stack trace). */
function expectRefused(r: Result, message: string): void {
  expect(r.code, r.stderr).to.equal(2);
  expect(r.stdout).to.equal('');
  expect(r.stderr).to.equal(`data:generate: ${message}\n`);
}

const PRECIOUS = 'Name,Age\nthe real dataset,3000 rows of it\n';

describe('data:generate: never overwrites without --force, refuses bad paths in one line', function () {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hc-gen-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('--help documents --force, the default name and the exit codes', async function () {
    const r = await generate(dir, ['--help']);
    expect(r.code).to.equal(0);
    expect(r.stdout).to.include('--force');
    expect(r.stdout).to.include('data/synthetic_healthcare_dataset.csv');
    expect(r.stdout).to.include('2 usage error or output refused');
  });

  it('writes data/synthetic_healthcare_dataset.csv by default (creating data/), then refuses to replace it', async function () {
    const first = await generate(dir, ['--rows', '5']);
    expect(first.code, first.stderr).to.equal(0);
    expect(readdirSync(dir)).to.deep.equal(['data']);
    expect(readdirSync(join(dir, 'data'))).to.deep.equal(['synthetic_healthcare_dataset.csv']);
    const log = JSON.parse(first.stderr.trim()) as Record<string, unknown>;
    expect(log).to.include({ msg: 'dataset written', file: 'data/synthetic_healthcare_dataset.csv', rows: 5 });

    const path = join(dir, 'data', 'synthetic_healthcare_dataset.csv');
    writeFileSync(path, PRECIOUS);
    const again = await generate(dir, ['--rows', '5']);
    expectRefused(
      again,
      '--out data/synthetic_healthcare_dataset.csv already exists: not overwritten (--force replaces it)',
    );
    expect(readFileSync(path, 'utf8')).to.equal(PRECIOUS);
  });

  it('refuses an existing --out, and an existing --expect without creating --out; --force replaces both', async function () {
    const out = join(dir, 'healthcare_dataset.csv');
    const expectFile = join(dir, 'expected.json');
    writeFileSync(out, PRECIOUS);
    expectRefused(
      await generate(dir, ['--rows', '5', '--out', out]),
      `--out ${out} already exists: not overwritten (--force replaces it)`,
    );
    expect(readFileSync(out, 'utf8')).to.equal(PRECIOUS);

    const fresh = join(dir, 'fresh.csv');
    writeFileSync(expectFile, '{"mine":true}');
    expectRefused(
      await generate(dir, ['--rows', '5', '--out', fresh, '--expect', expectFile]),
      `--expect ${expectFile} already exists: not overwritten (--force replaces it)`,
    );
    expect(readFileSync(expectFile, 'utf8')).to.equal('{"mine":true}');
    expect(readdirSync(dir).sort()).to.deep.equal(['expected.json', 'healthcare_dataset.csv']);

    const forced = await generate(dir, ['--rows', '5', '--out', out, '--expect', expectFile, '--force']);
    expect(forced.code, forced.stderr).to.equal(0);
    expect(readFileSync(out, 'utf8').split('\n')).to.have.length(7); // header, 5 rows, final newline
    expect(JSON.parse(readFileSync(expectFile, 'utf8'))).to.include({ rows: 5 });
    expect(readdirSync(dir).sort()).to.deep.equal(['expected.json', 'healthcare_dataset.csv']);
  });

  it('refuses a directory for --out and for --expect, even with --force', async function () {
    mkdirSync(join(dir, 'data'));
    expectRefused(await generate(dir, ['--out', 'data/']), '--out data/ is a directory: give a file name');
    expectRefused(await generate(dir, ['--out', 'data', '--force']), '--out data is a directory: give a file name');
    expectRefused(
      await generate(dir, ['--rows', '5', '--out', 'x.csv', '--expect', 'data']),
      '--expect data is a directory: give a file name',
    );
    expect(readdirSync(dir)).to.deep.equal(['data']);
    expect(readdirSync(join(dir, 'data'))).to.deep.equal([]);
  });

  it('refuses a missing directory, or one that is a file, naming it', async function () {
    expectRefused(
      await generate(dir, ['--out', 'nowhere/x.csv']),
      '--out nowhere/x.csv: directory nowhere does not exist',
    );
    writeFileSync(join(dir, 'plain'), 'x');
    expectRefused(
      await generate(dir, ['--rows', '5', '--out', 'x.csv', '--expect', 'plain/e.json']),
      '--expect plain/e.json: plain is not a directory',
    );
    expect(readdirSync(dir)).to.deep.equal(['plain']);
  });

  it('refuses a directory it may not write in (EACCES)', async function () {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    let r: Result;
    if (process.getuid?.() !== 0) {
      r = await generate(dir, ['--rows', '5', '--out', 'locked/x.csv']);
    } else {
      // Root writes anywhere: run the command as nobody, if setpriv can drop to it and nobody
      // can read the checkout (not so in a clone under a private temporary directory).
      const asNobody = ['--reuid=65534', '--regid=65534', '--clear-groups'];
      const setpriv = spawnSync('setpriv', ['--version']);
      if (setpriv.error || setpriv.status !== 0) {
        console.log('      skipped: running as root, and setpriv is not available to run the command as another user');
        this.skip();
      }
      if (spawnSync('setpriv', [...asNobody, 'test', '-r', SCRIPTS.generate]).status !== 0) {
        console.log(`      skipped: running as root, and the user nobody cannot read ${SCRIPTS.generate}`);
        this.skip();
      }
      chmodSync(dir, 0o755);
      r = await runIn(dir, 'setpriv', [
        ...asNobody,
        process.execPath,
        SCRIPTS.generate,
        '--rows',
        '5',
        '--out',
        'locked/x.csv',
      ]);
    }
    expectRefused(r, '--out locked/x.csv: no permission to write in locked');
    expect(readdirSync(locked)).to.deep.equal([]);
  });

  it('exits 2 on every usage error', async function () {
    for (const args of [['--rows', 'many'], ['--seed', '-1'], ['--bogus'], ['--out'], ['extra']]) {
      const r = await generate(dir, args);
      expect(r.code, args.join(' ')).to.equal(2);
      expect(r.stderr, args.join(' ')).to.match(/^error: /);
    }
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  it("compose's data-init generates the file only when it is absent", async function () {
    const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
      services: Record<string, { command: string[] }>;
    };
    const [shell, flag, script] = compose.services['data-init']!.command;
    expect([shell, flag]).to.deep.equal(['sh', '-c']);
    // The image's layout: /app with generator/ and the mounted data/.
    symlinkSync(join(ROOT, 'generator'), join(dir, 'generator'));
    mkdirSync(join(dir, 'data'));
    const path = join(dir, 'data', 'synthetic_healthcare_dataset.csv');

    const first = await runIn(dir, 'sh', ['-c', script!]);
    expect(first.code, first.stderr).to.equal(0);
    expect(readdirSync(join(dir, 'data'))).to.deep.equal(['synthetic_healthcare_dataset.csv']);
    expect(readFileSync(path, 'utf8').trimEnd().split('\n').length).to.be.greaterThan(55_500);

    for (const content of [PRECIOUS, '']) {
      writeFileSync(path, content);
      const again = await runIn(dir, 'sh', ['-c', script!]);
      expect(again.code, again.stderr).to.equal(0);
      expect(readFileSync(path, 'utf8')).to.equal(content);
    }
    expect(existsSync(join(dir, 'data', 'healthcare_dataset.csv'))).to.equal(false);
  });
});
