import { resolve } from 'node:path';
import { Generator, type Expected, type GenerateOptions } from './generator.js';
import { AtomicFile, checkTarget, createParentDir, OutputError, type Target } from './outputFile.js';

export interface WriteOptions {
  /** replace existing files (otherwise an existing `out` or `expectOut` is refused) */
  force?: boolean;
  /** create the missing parent directories of `out` (the CLI's default path only) */
  createOutDir?: boolean;
  /** stops the write: nothing is left under the final names, the promise rejects */
  signal?: AbortSignal;
}

/**
 * The CLI's default output. Named so that it cannot be mistaken for, or replace, the real
 * dataset (healthcare_dataset.csv) that users put in data/.
 */
export const DEFAULT_OUT = 'data/synthetic_healthcare_dataset.csv';

const ROWS_PER_WRITE = 5000;

/**
 * Writes a generated CSV (and optionally its expected outcome as JSON). Both paths are checked
 * before anything is written, and each file appears under its final name only once complete;
 * an existing file is never replaced without `force`. Refusals throw OutputError.
 */
export async function writeDataset(
  out: string,
  opts: GenerateOptions,
  expectOut?: string,
  options: WriteOptions = {},
): Promise<Expected> {
  const { force = false, createOutDir = false, signal } = options;
  const targets: Target[] = [{ label: '--out', path: out }];
  if (expectOut !== undefined) {
    if (resolve(expectOut) === resolve(out))
      throw new OutputError(`--out and --expect both name ${out}: give two different files`);
    targets.push({ label: '--expect', path: expectOut });
  }
  for (const target of targets) await checkTarget(target, { force, createDir: target.path === out && createOutDir });
  if (createOutDir) await createParentDir(targets[0]!);

  const files: AtomicFile[] = [];
  try {
    for (const target of targets) files.push(await AtomicFile.create(target, { force }));
    const [csv, json] = files as [AtomicFile, AtomicFile | undefined];
    const gen = new Generator(opts);
    let batch: string[] = [gen.header()];
    for (let i = 0; i < opts.rows; i++) {
      batch.push(gen.nextLine());
      if (batch.length >= ROWS_PER_WRITE) {
        signal?.throwIfAborted();
        await csv.handle.writeFile(batch.join(gen.eol) + gen.eol);
        batch = [];
      }
    }
    if (batch.length > 0) await csv.handle.writeFile(batch.join(gen.eol) + gen.eol);
    const expected = gen.finish();
    if (json) await json.handle.writeFile(JSON.stringify(expected));
    signal?.throwIfAborted();
    // The CSV last: a file that appears is the one the user asked for, with its expectation.
    if (json) await json.commit();
    await csv.commit();
    return expected;
  } catch (err) {
    // Without force, whatever this run already put under a final name goes too: all or nothing.
    await Promise.all(files.map((f) => f.discard({ committedToo: true })));
    throw err;
  }
}
