import type { Admission } from '@hcingest/shared/rules/validate';
import type { Store } from '@hcingest/shared/store/collections';
import { duplicateIndexes, isDuplicateKey } from '@hcingest/shared/store/errors';
import { toPatientDoc, type PatientDoc, type WriteOutcome } from '@hcingest/shared/store/patientDoc';
import pLimit from 'p-limit';
import { withAdmissionLock } from './admissionLock.js';

export type RowOutcome = WriteOutcome | 'stale';

/** A valid row ready to be written. */
export interface VersionedRow {
  id: string;
  admission: Admission;
  hash: string;
  version: number;
  row: number;
}

interface Group {
  id: string;
  /** indexes into the rows array, ascending version */
  members: number[];
  doc: PatientDoc;
}

const MAX_CAS_ROUNDS = 50;

/**
 * Writes a chunk's valid rows so that, per admission, the highest version wins whatever order
 * chunks are processed in, and returns each row's outcome.
 *
 * Rows of one admission within the chunk are folded first: only the last is written, the
 * others are classified against their predecessor. Then an optimistic unordered insertMany
 * writes every admission in one round trip; only the admissions that already exist fall back
 * to read + compare-and-swap on the stored version (few on a first load).
 * Retries are exact: a document already carrying this chunk's version reports the outcome
 * stored with it instead of counting again.
 */
export async function writeVersioned(
  store: Store,
  loadId: string,
  rows: VersionedRow[],
  parallelism: number,
): Promise<RowOutcome[]> {
  const outcomes: RowOutcome[] = new Array<RowOutcome>(rows.length).fill('stale');
  const groups = groupRows(loadId, rows);

  // Later rows of a group compare with the row before them, as a sequential load would.
  for (const g of groups) {
    for (let j = 1; j < g.members.length; j++) {
      const [prev, cur] = [rows[g.members[j - 1]!]!, rows[g.members[j]!]!];
      outcomes[g.members[j]!] = prev.hash === cur.hash ? 'unchanged' : 'updated';
    }
  }

  const conflicts = await insertNew(store, groups);
  for (const [i, g] of groups.entries()) if (!conflicts.has(i)) outcomes[g.members[0]!] = 'inserted';

  const limit = pLimit(parallelism);
  await Promise.all(
    [...conflicts].map((i) =>
      limit(async () => {
        const g = groups[i]!;
        const first = await withAdmissionLock(store, g.id, () => resolveConflict(store, g, rows[g.members[0]!]!.hash));
        if (first === 'stale') for (const m of g.members) outcomes[m] = 'stale';
        else outcomes[g.members[0]!] = first;
      }),
    ),
  );
  return outcomes;
}

function groupRows(loadId: string, rows: VersionedRow[]): Group[] {
  const byId = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const members = byId.get(r.id);
    if (members) members.push(i);
    else byId.set(r.id, [i]);
  });
  return [...byId].map(([id, members]) => {
    members.sort((a, b) => rows[a]!.version - rows[b]!.version);
    const last = rows[members[members.length - 1]!]!;
    const doc = toPatientDoc(id, last.admission, {
      loadId,
      row: last.row,
      version: last.version,
      hash: last.hash,
      outcome: 'inserted',
      createdBy: last.version,
    });
    return { id, members, doc };
  });
}

/** Inserts every group's document; returns the indexes of groups whose _id already exists. */
async function insertNew(store: Store, groups: Group[]): Promise<Set<number>> {
  if (groups.length === 0) return new Set();
  try {
    await store.patients.insertMany(
      groups.map((g) => g.doc),
      { ordered: false },
    );
    return new Set();
  } catch (err) {
    return new Set(duplicateIndexes(err));
  }
}

/**
 * Brings one existing admission up to this group's version, or finds that a newer one is
 * stored. Returns the outcome of the group's first row.
 */
async function resolveConflict(store: Store, g: Group, firstHash: string): Promise<RowOutcome> {
  const version = g.doc._ingest.version;
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const stored = await store.patients.findOne({ _id: g.id }, { projection: { _ingest: 1 } });
    if (!stored) {
      // Deleted since the insert failed: insert again.
      try {
        await store.patients.insertOne(g.doc);
        return 'inserted';
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        continue;
      }
    }
    const meta = stored._ingest;
    // Our own earlier attempt already wrote this version: report what it did then.
    if (meta.version === version) return meta.outcome;
    if (meta.version > version) return meta.createdBy === version ? 'inserted' : 'stale';
    const first: RowOutcome = meta.hash === firstHash ? 'unchanged' : 'updated';
    const replacement: PatientDoc = {
      ...g.doc,
      _ingest: { ...g.doc._ingest, outcome: first, createdBy: meta.createdBy },
    };
    const result = await store.patients.replaceOne({ _id: g.id, '_ingest.version': meta.version }, replacement);
    // matched 0: the document changed between our read and write (an insert racing a
    // deletion, or a lock taken over from a worker presumed dead); look again.
    if (result.matchedCount === 1) return first;
  }
  throw new Error(`admission write kept racing after ${MAX_CAS_ROUNDS} rounds`);
}
