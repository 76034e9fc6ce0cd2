import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, unreadable } from '@hcingest/shared';

/** The files a directory argument stands for. */
const DATA_FILE = /\.csv(\.gz)?$/i;

export interface InputFiles {
  files: string[];
  /** more than one file, or a directory: the command answers with a list */
  many: boolean;
}

/**
 * The files of `enqueue a.csv b.csv.gz dir/`: files as given, and each directory's `*.csv` and
 * `*.csv.gz` (not recursive) in name order, so that a later file's rows win, as the user
 * ordered them. The same file twice is refused: it would be one load anyway.
 */
export async function inputFiles(args: readonly string[]): Promise<InputFiles> {
  const files: string[] = [];
  let sawDirectory = false;
  for (const arg of args) {
    const info = await stat(arg).catch((err: NodeJS.ErrnoException) => {
      throw unreadable(arg, err);
    });
    if (!info.isDirectory()) {
      files.push(arg);
      continue;
    }
    sawDirectory = true;
    const names = (await readdir(arg)).filter((n) => DATA_FILE.test(n)).sort();
    if (names.length === 0) throw new InputError(`${arg} is a directory with no *.csv or *.csv.gz file`);
    files.push(...names.map((n) => join(arg, n)));
  }
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f)) throw new InputError(`${f} is given twice: each file is one load`);
    seen.add(f);
  }
  return { files, many: files.length > 1 || sawDirectory };
}
