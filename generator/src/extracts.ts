import { writeFileSync } from 'node:fs';
import { COLUMNS, csvField, TEST_RESULTS } from '@hcingest/shared';
import type { Expected, ExpectedDoc } from './generator.js';
import { Random } from './random.js';

/** An admission's identity, as the loader compares them (the hospital in any case). */
export const identityOf = (d: ExpectedDoc) =>
  [d.Name, d.Gender, d['Blood Type'], d['Date of Admission'], d.Hospital.toLowerCase()].join('|');

/** Orders documents by identity, for comparisons. */
export function byIdentity(a: ExpectedDoc, b: ExpectedDoc): number {
  const [x, y] = [identityOf(a), identityOf(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A full extract made from a base file's outcome, and what loading it as a mirror must give. */
export interface MirrorExtract {
  /** the documents the collection must hold after it (sorted by identity) */
  docs: ExpectedDoc[];
  /** admissions the extract no longer has: what the archive step moves */
  removed: ExpectedDoc[];
  /** admissions whose values changed (Test Results), as the extract has them */
  changed: ExpectedDoc[];
}

/** Another valid Test Results value than the document's. */
const otherResult = (d: ExpectedDoc) => TEST_RESULTS[(TEST_RESULTS.indexOf(d['Test Results'] as never) + 1) % 3]!;

/** Writes documents as a CSV file, one row each, values as stored. */
export function writeDocsFile(path: string, docs: readonly ExpectedDoc[]): void {
  const lines = [
    COLUMNS.join(','),
    ...docs.map((d) => COLUMNS.map((c) => csvField(d[c] === null ? '' : String(d[c]))).join(',')),
  ];
  writeFileSync(path, `${lines.join('\n')}\n`);
}

/**
 * Writes a full extract of a base file's admissions (one row per admission, values as stored):
 * `removeShare` of them left out, `changeShare` of the others with another Test Results. Loaded
 * as a mirror after the base file, the collection must hold exactly `docs`.
 */
export function writeMirrorFile(
  path: string,
  base: Pick<Expected, 'docs'>,
  opts: { removeShare: number; changeShare: number; seed: number },
): MirrorExtract {
  const rnd = new Random(opts.seed);
  const order = base.docs.map((d) => ({ d, k: rnd.next() })).sort((a, b) => a.k - b.k);
  const removeCount = Math.round(opts.removeShare * order.length);
  const changeCount = Math.round(opts.changeShare * order.length);
  const removed = order.slice(0, removeCount).map((o) => o.d);
  const changed = order
    .slice(removeCount, removeCount + changeCount)
    .map((o) => ({ ...o.d, 'Test Results': otherResult(o.d) }));
  const kept = [...changed, ...order.slice(removeCount + changeCount).map((o) => o.d)];
  writeDocsFile(path, kept);
  return { docs: kept.sort(byIdentity), removed: removed.sort(byIdentity), changed };
}

/** What a merge of `docs` over `base` leaves: every admission of both, the values of `docs` where both have it. */
export function overlay(base: readonly ExpectedDoc[], docs: readonly ExpectedDoc[]): ExpectedDoc[] {
  const out = new Map(base.map((d) => [identityOf(d), d]));
  for (const d of docs) out.set(identityOf(d), d);
  return [...out.values()].sort(byIdentity);
}

/**
 * A merge file overlapping a base: `changeShare` of its admissions with another Test Results
 * (some of them perhaps removed by a mirror of the base), and `extra` admissions of its own.
 */
export function writeMergeFile(
  path: string,
  base: readonly ExpectedDoc[],
  extra: readonly ExpectedDoc[],
  opts: { changeShare: number; seed: number },
): ExpectedDoc[] {
  const rnd = new Random(opts.seed);
  const changed = base
    .filter(() => rnd.next() < opts.changeShare)
    .map((d) => ({ ...d, 'Test Results': otherResult(d) }));
  const docs = [...changed, ...extra];
  writeDocsFile(path, docs);
  return docs.sort(byIdentity);
}
