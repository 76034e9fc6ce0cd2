import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { Generator, type Expected, type GenerateOptions } from './generator.js';

/** Writes a generated CSV (and optionally its expected outcome as JSON). */
export async function writeDataset(out: string, opts: GenerateOptions, expectOut?: string): Promise<Expected> {
  await mkdir(dirname(out), { recursive: true });
  const gen = new Generator(opts);
  const stream = createWriteStream(out);
  let batch: string[] = [gen.header()];
  for (let i = 0; i < opts.rows; i++) {
    batch.push(gen.nextLine());
    if (batch.length >= 5000) {
      if (!stream.write(batch.join(gen.eol) + gen.eol)) await once(stream, 'drain');
      batch = [];
    }
  }
  if (batch.length > 0) stream.write(batch.join(gen.eol) + gen.eol);
  stream.end();
  await once(stream, 'finish');
  const expected = gen.finish();
  if (expectOut) {
    await mkdir(dirname(expectOut), { recursive: true });
    await writeFile(expectOut, JSON.stringify(expected));
  }
  return expected;
}
