import { expect } from 'chai';
import sinon from 'sinon';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Generator,
  AtomicFile,
  checkTarget,
  describeOutputError,
  OutputError,
  DEFAULT_OUT,
  writeDataset,
} from '@hcingest/generator';

const errno = (code: string) => Object.assign(new Error(`${code}: something`), { code });

/** Rejections of a promise, as the error they were (or a failure when it resolved). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('producer/generate: checked, atomic output files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hc-out-'));
  });
  afterEach(() => {
    sinon.restore();
    rmSync(dir, { recursive: true, force: true });
  });

  const target = (name: string, label = '--out') => ({ label, path: join(dir, name) });

  it('the default output says it is synthetic and is not the real dataset name', () => {
    expect(DEFAULT_OUT).to.equal('data/synthetic_healthcare_dataset.csv');
  });

  describe('checkTarget', () => {
    it('accepts a new file in an existing directory', async () => {
      await checkTarget(target('new.csv'));
    });

    it('refuses an existing file without force, naming it; accepts it with force', async () => {
      writeFileSync(join(dir, 'real.csv'), 'precious');
      const err = await rejection(checkTarget(target('real.csv')));
      expect(err).to.be.instanceOf(OutputError);
      expect(err.message).to.equal(
        `--out ${join(dir, 'real.csv')} already exists: not overwritten (--force replaces it)`,
      );
      await checkTarget(target('real.csv'), { force: true });
    });

    it('refuses a directory, with or without a trailing slash, even with force', async () => {
      mkdirSync(join(dir, 'sub'));
      for (const path of [join(dir, 'sub'), `${join(dir, 'sub')}/`, `${join(dir, 'nothing-yet')}/`]) {
        const err = await rejection(checkTarget({ label: '--expect', path }, { force: true }));
        expect(err, path).to.be.instanceOf(OutputError);
        expect(err.message).to.equal(`--expect ${path} is a directory: give a file name`);
      }
    });

    it('refuses a symbolic link to a directory as a directory, and other links even with force', async () => {
      mkdirSync(join(dir, 'sub'));
      symlinkSync(join(dir, 'sub'), join(dir, 'to-dir'));
      writeFileSync(join(dir, 'file'), 'x');
      symlinkSync(join(dir, 'file'), join(dir, 'to-file'));
      expect((await rejection(checkTarget(target('to-dir')))).message).to.include('is a directory');
      const err = await rejection(checkTarget(target('to-file'), { force: true }));
      expect(err.message).to.equal(`--out ${join(dir, 'to-file')} is a symbolic link: not replaced`);
    });

    it('refuses a missing directory unless told to create it', async () => {
      const path = join(dir, 'missing', 'x.csv');
      const err = await rejection(checkTarget({ label: '--out', path }));
      expect(err).to.be.instanceOf(OutputError);
      expect(err.message).to.equal(`--out ${path}: directory ${join(dir, 'missing')} does not exist`);
      await checkTarget({ label: '--out', path }, { createDir: true });
    });

    it('refuses a path under a regular file', async () => {
      writeFileSync(join(dir, 'file'), 'x');
      const path = join(dir, 'file', 'x.csv');
      const err = await rejection(checkTarget({ label: '--out', path }, { createDir: true }));
      expect(err).to.be.instanceOf(OutputError);
      expect(err.message).to.equal(`--out ${path}: ${join(dir, 'file')} is not a directory`);
    });
  });

  describe('describeOutputError', () => {
    const t = { label: '--out', path: 'data/x.csv' };
    it('turns the "cannot write here" errors into one-line refusals naming the path', () => {
      const cases: [string, string][] = [
        ['EACCES', '--out data/x.csv: no permission to write in data'],
        ['EPERM', '--out data/x.csv: no permission to write in data'],
        ['EROFS', '--out data/x.csv: data is on a read-only file system'],
        ['EISDIR', '--out data/x.csv is a directory: give a file name'],
        ['ENOENT', '--out data/x.csv: directory data does not exist'],
        ['EEXIST', '--out data/x.csv already exists: not overwritten (--force replaces it)'],
      ];
      for (const [code, message] of cases) {
        const err = describeOutputError(t, errno(code));
        expect(err, code).to.be.instanceOf(OutputError);
        expect(err.message, code).to.equal(message);
      }
    });

    it('keeps other failures (a full disk) as errors, still in one line', () => {
      const err = describeOutputError(t, errno('ENOSPC'));
      expect(err).to.not.be.instanceOf(OutputError);
      expect(err.message).to.equal('--out data/x.csv: cannot write (ENOSPC)');
    });
  });

  describe('AtomicFile', () => {
    it('shows nothing under the final name until committed', async () => {
      const file = await AtomicFile.create(target('a.csv'));
      await file.handle.writeFile('half');
      expect(readdirSync(dir)).to.deep.equal([file.tempPath.slice(dir.length + 1)]);
      await file.commit();
      expect(readdirSync(dir)).to.deep.equal(['a.csv']);
      expect(readFileSync(join(dir, 'a.csv'), 'utf8')).to.equal('half');
    });

    it('without force, does not replace a file that appeared after the check', async () => {
      const file = await AtomicFile.create(target('a.csv'));
      await file.handle.writeFile('generated');
      writeFileSync(join(dir, 'a.csv'), 'precious');
      const err = await rejection(file.commit());
      expect(err).to.be.instanceOf(OutputError);
      expect(err.message).to.include('already exists');
      await file.discard({ committedToo: true });
      expect(readdirSync(dir)).to.deep.equal(['a.csv']);
      expect(readFileSync(join(dir, 'a.csv'), 'utf8')).to.equal('precious');
    });

    it('with force, replaces the file in one step', async () => {
      writeFileSync(join(dir, 'a.csv'), 'old');
      const file = await AtomicFile.create(target('a.csv'), { force: true });
      await file.handle.writeFile('new');
      await file.commit();
      expect(readdirSync(dir)).to.deep.equal(['a.csv']);
      expect(readFileSync(join(dir, 'a.csv'), 'utf8')).to.equal('new');
    });
  });

  describe('writeDataset', () => {
    it('writes the CSV and the expectation, nothing else', async () => {
      const expected = await writeDataset(join(dir, 'g.csv'), { rows: 50, seed: 3 }, join(dir, 'g.json'));
      expect(readdirSync(dir).sort()).to.deep.equal(['g.csv', 'g.json']);
      expect(JSON.parse(readFileSync(join(dir, 'g.json'), 'utf8'))).to.deep.equal(expected);
      expect(readFileSync(join(dir, 'g.csv'), 'utf8').split('\n')[0]).to.equal(
        new Generator({ rows: 1, seed: 1 }).header(),
      );
    });

    it('checks both paths before writing anything: an existing --expect leaves no --out', async () => {
      writeFileSync(join(dir, 'g.json'), 'precious');
      const err = await rejection(writeDataset(join(dir, 'g.csv'), { rows: 50, seed: 3 }, join(dir, 'g.json')));
      expect(err).to.be.instanceOf(OutputError);
      expect(err.message).to.include(`--expect ${join(dir, 'g.json')} already exists`);
      expect(readdirSync(dir)).to.deep.equal(['g.json']);
      expect(readFileSync(join(dir, 'g.json'), 'utf8')).to.equal('precious');
    });

    it('refuses --out and --expect naming the same file', async () => {
      const err = await rejection(writeDataset(join(dir, 'g.csv'), { rows: 5, seed: 3 }, join(dir, '.', 'g.csv')));
      expect(err).to.be.instanceOf(OutputError);
      expect(readdirSync(dir)).to.deep.equal([]);
    });

    it('creates the missing directory of --out only when asked (the default path)', async () => {
      const out = join(dir, 'data', 'g.csv');
      expect((await rejection(writeDataset(out, { rows: 5, seed: 3 }))).message).to.include('does not exist');
      await writeDataset(out, { rows: 5, seed: 3 }, undefined, { createOutDir: true });
      expect(readdirSync(join(dir, 'data'))).to.deep.equal(['g.csv']);
    });

    it('a failure in the middle of the write leaves no partial file, and an existing one untouched', async () => {
      writeFileSync(join(dir, 'g.csv'), 'precious');
      const nextLine = Generator.prototype.nextLine;
      let calls = 0;
      let partial = 0;
      // Fails after the first 5,000-row writes have reached the temporary file.
      sinon.stub(Generator.prototype, 'nextLine').callsFake(function (this: Generator) {
        if (++calls === 12_000) {
          const temp = readdirSync(dir).find((name) => name.startsWith('.') && name.endsWith('.tmp'));
          partial = temp === undefined ? 0 : statSync(join(dir, temp)).size;
          throw new Error('injected failure');
        }
        return nextLine.call(this);
      });
      for (const force of [false, true]) {
        calls = 0;
        const out = force ? join(dir, 'g.csv') : join(dir, 'new.csv');
        const err = await rejection(writeDataset(out, { rows: 20_000, seed: 3 }, join(dir, 'new.json'), { force }));
        expect(err.message, `force ${force}`).to.equal('injected failure');
        expect(partial, 'bytes in the temporary file when it failed').to.be.greaterThan(0);
        expect(readdirSync(dir), `force ${force}`).to.deep.equal(['g.csv']);
        expect(readFileSync(join(dir, 'g.csv'), 'utf8')).to.equal('precious');
      }
    });

    it('an abort (SIGINT/SIGTERM in the CLI) leaves no file at all', async () => {
      const controller = new AbortController();
      const nextLine = Generator.prototype.nextLine;
      let calls = 0;
      sinon.stub(Generator.prototype, 'nextLine').callsFake(function (this: Generator) {
        if (++calls === 7000) controller.abort();
        return nextLine.call(this);
      });
      const out = join(dir, 'g.csv');
      const err = await rejection(
        writeDataset(out, { rows: 20_000, seed: 3 }, join(dir, 'g.json'), { signal: controller.signal }),
      );
      expect(err.name).to.equal('AbortError');
      expect(readdirSync(dir)).to.deep.equal([]);
    });
  });
});
