import { writeFileSync } from 'node:fs';
import type { Db } from 'mongodb';
import type { Expected, ExpectedDoc } from '@hcingest/generator';
import { COLUMNS, TEST_RESULTS } from '@hcingest/shared';
import { byIdentity } from './expectations.js';

/** A full extract made from a base file's outcome, and what loading it as a mirror must give. */
export interface MirrorFile {
  /** the documents the collection must hold after it (sorted by identity) */
  docs: ExpectedDoc[];
  /** admissions the extract no longer has: what the archive step moves */
  removed: ExpectedDoc[];
  /** admissions whose values changed (Test Results), as the extract has them */
  changed: ExpectedDoc[];
}

/** A small deterministic generator (mulberry32), so a seed gives the same extract. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const field = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Another valid Test Results value than the document's. */
const otherResult = (d: ExpectedDoc) => TEST_RESULTS[(TEST_RESULTS.indexOf(d['Test Results'] as never) + 1) % 3]!;

/**
 * Writes a full extract of a base file's admissions (one row per admission, values as stored):
 * `removeShare` of them left out, `changeShare` of the others with another Test Results. Loaded
 * as a mirror after the base file, the collection must hold exactly `docs`.
 */
export function writeMirrorFile(
  path: string,
  base: Pick<Expected, 'docs'>,
  opts: { removeShare: number; changeShare: number; seed: number },
): MirrorFile {
  const next = random(opts.seed);
  const order = base.docs.map((d) => ({ d, k: next() })).sort((a, b) => a.k - b.k);
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

/** Writes documents as a CSV file, one row each, values as stored. */
export function writeDocsFile(path: string, docs: readonly ExpectedDoc[]): void {
  const lines = [COLUMNS.join(','), ...docs.map((d) => COLUMNS.map((c) => field(d[c])).join(','))];
  writeFileSync(path, `${lines.join('\n')}\n`);
}

/** An admission's identity, as the loader compares them (the hospital in any case). */
export const identityOf = (d: ExpectedDoc) =>
  `${d.Name}|${d.Gender}|${d['Blood Type']}|${d['Date of Admission']}|${d.Hospital.toLowerCase()}`;

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
  const next = random(opts.seed);
  const changed = base.filter(() => next() < opts.changeShare).map((d) => ({ ...d, 'Test Results': otherResult(d) }));
  const docs = [...changed, ...extra];
  writeDocsFile(path, docs);
  return docs.sort(byIdentity);
}

const day = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : d);

/** The documents a mirror load archived, reduced to the generator's expected form, sorted. */
export async function archivedDocs(db: Db, loadId: string, collection = 'patients_archive'): Promise<ExpectedDoc[]> {
  const docs = await db.collection(collection).find({ loadId }).toArray();
  return docs
    .map(({ doc }) => {
      const { _id: _ignored, _ingest: _meta, ...fields } = doc as Record<string, unknown>;
      const dates = {
        'Date of Admission': day(fields['Date of Admission']),
        'Discharge Date': day(fields['Discharge Date']),
      };
      return { ...fields, ...dates } as unknown as ExpectedDoc;
    })
    .sort(byIdentity);
}
