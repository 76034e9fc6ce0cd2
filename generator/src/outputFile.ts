import { constants } from 'node:fs';
import { access, link, lstat, mkdir, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, sep } from 'node:path';

/** An output path refused before or while writing: a usage error (exit 2), shown as one line. */
export class OutputError extends Error {
  override name = 'OutputError';
}

/** An output file and how the user named it (`--out`, `--expect`), for messages. */
export interface Target {
  label: string;
  path: string;
}

export interface TargetOptions {
  /** replace an existing regular file */
  force?: boolean;
  /** create the missing parent directories (only for the default output path) */
  createDir?: boolean;
}

/** The errors that mean "this path is not a place to write": refused as usage errors. */
const REFUSED = new Set(['EACCES', 'EPERM', 'EROFS', 'EISDIR', 'ENOTDIR', 'ENOENT', 'EEXIST', 'ENAMETOOLONG', 'ELOOP']);

const codeOf = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | null)?.code;

/** One line naming the path and what is wrong with it; a refusal for the codes of REFUSED. */
export function describeOutputError(target: Target, err: unknown): Error {
  const { label, path } = target;
  const dir = dirname(path);
  const code = codeOf(err);
  const message: Record<string, string> = {
    EACCES: `${label} ${path}: no permission to write in ${dir}`,
    EPERM: `${label} ${path}: no permission to write in ${dir}`,
    EROFS: `${label} ${path}: ${dir} is on a read-only file system`,
    EISDIR: `${label} ${path} is a directory: give a file name`,
    ENOTDIR: `${label} ${path}: ${dir} is not a directory`,
    ENOENT: `${label} ${path}: directory ${dir} does not exist`,
    EEXIST: `${label} ${path} already exists: not overwritten (--force replaces it)`,
    ENAMETOOLONG: `${label} ${path}: file name too long`,
    ELOOP: `${label} ${path}: too many symbolic links`,
  };
  if (code !== undefined && REFUSED.has(code)) return new OutputError(message[code]!);
  const reason = code ?? (err instanceof Error ? err.message : String(err));
  return new Error(`${label} ${path}: cannot write (${reason})`);
}

async function statOrNull(path: string, follow: boolean) {
  try {
    return follow ? await stat(path) : await lstat(path);
  } catch (err) {
    if (codeOf(err) === 'ENOENT') return null;
    throw err;
  }
}

/**
 * Refuses a path the generator must not write, before anything is written: a directory, a
 * missing or unwritable directory, something other than a regular file, or an existing file
 * without `force`. Throws OutputError.
 */
export async function checkTarget(target: Target, options: TargetOptions = {}): Promise<void> {
  const { label, path } = target;
  if (path === '') throw new OutputError(`${label} is empty: give a file name`);
  if (path.endsWith(sep) || path.endsWith('/'))
    throw new OutputError(`${label} ${path} is a directory: give a file name`);
  const dir = dirname(path);
  try {
    const dirInfo = await statOrNull(dir, true);
    if (dirInfo === null) {
      if (!options.createDir) throw Object.assign(new Error(dir), { code: 'ENOENT' });
    } else {
      if (!dirInfo.isDirectory()) throw Object.assign(new Error(dir), { code: 'ENOTDIR' });
      // Write and search permission; as root only a read-only file system fails here, and the
      // creation of the temporary file (AtomicFile.create) is the final word.
      await access(dir, constants.W_OK | constants.X_OK);
    }
    // Followed first: a symbolic link to a directory is a directory to the user.
    if ((await statOrNull(path, true))?.isDirectory()) throw Object.assign(new Error(path), { code: 'EISDIR' });
    const info = await statOrNull(path, false);
    if (info === null) return;
    if (!info.isFile())
      throw new OutputError(
        `${label} ${path} is ${info.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}: not replaced`,
      );
    if (!options.force) throw Object.assign(new Error(path), { code: 'EEXIST' });
  } catch (err) {
    if (err instanceof OutputError) throw err;
    throw describeOutputError(target, err);
  }
}

/** Where the file system has no hard links, link() fails with one of these. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/**
 * A file written under a temporary name in its final directory, then moved under its final name
 * in one step, so that an interrupted or failed run never leaves a partial file there.
 */
export class AtomicFile {
  private committed = false;

  private constructor(
    readonly target: Target,
    readonly tempPath: string,
    readonly handle: FileHandle,
    private readonly force: boolean,
  ) {}

  /** Creates the temporary file (exclusively): the proof that the directory takes files. */
  static async create(target: Target, options: TargetOptions = {}): Promise<AtomicFile> {
    const dir = dirname(target.path);
    // Hidden and named after the target, so a leftover of a killed run says what it was.
    const tempPath = join(dir, `.${basename(target.path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    try {
      return new AtomicFile(target, tempPath, await open(tempPath, 'wx'), options.force ?? false);
    } catch (err) {
      throw describeOutputError(target, err);
    }
  }

  /**
   * Flushes the file and gives it its final name. Without `force`, a file that appeared under
   * that name since checkTarget is still never replaced: link() fails on an existing name.
   */
  async commit(): Promise<void> {
    await this.handle.sync();
    await this.handle.close();
    const { path } = this.target;
    try {
      if (this.force) await rename(this.tempPath, path);
      else {
        try {
          await link(this.tempPath, path);
        } catch (err) {
          if (!NO_HARD_LINKS.has(codeOf(err) ?? '')) throw err;
          // No hard links here: the last check then the rename leave only a tiny window.
          if ((await statOrNull(path, false)) !== null) throw Object.assign(new Error(path), { code: 'EEXIST' });
          await rename(this.tempPath, path);
        }
        await unlink(this.tempPath).catch(() => undefined);
      }
    } catch (err) {
      throw describeOutputError(this.target, err);
    }
    this.committed = true;
  }

  /** Removes the temporary file; after a commit without `force`, also the file it created. */
  async discard(options: { committedToo?: boolean } = {}): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await unlink(this.tempPath).catch(() => undefined);
    if (this.committed && options.committedToo && !this.force) await unlink(this.target.path).catch(() => undefined);
  }
}

/** Creates the missing parent directories of a path, refusing in one line if it cannot. */
export async function createParentDir(target: Target): Promise<void> {
  try {
    await mkdir(dirname(target.path), { recursive: true });
  } catch (err) {
    throw describeOutputError(target, err);
  }
}
