import type { AnyBulkWriteOperation, BulkWriteResult } from 'mongodb';
import type { Admission } from '@hcingest/shared/rules/validate';
import type { Store } from '@hcingest/shared/store/collections';
import { duplicateIndexes } from '@hcingest/shared/store/errors';
import { toPatientDoc, type IngestMeta, type PatientDoc, type WriteOutcome } from '@hcingest/shared/store/patientDoc';

export type RowOutcome = WriteOutcome | 'stale';

/** A valid row ready to be written. */
export interface VersionedRow {
  id: string;
  admission: Admission;
  hash: string;
  version: number;
  row: number;
}

/** The rows of one admission within a chunk; only the last (highest version) is written. */
interface Group {
  id: string;
  /** indexes into the rows array, ascending version */
  members: number[];
  doc: PatientDoc;
  /** content hash of the group's first row: what "unchanged" compares with the stored admission */
  firstHash: string;
}

/**
 * Bound on the rare retry of steps 2-4 for an admission that another writer changed between
 * them (it then stored exactly this row's content under an older version). Past it the chunk
 * attempt fails and the queue retries it.
 */
const MAX_ROUNDS = 5;

/**
 * Writes a chunk's valid rows so that, per admission, the highest version wins whatever order
 * chunks are processed in, and returns each row's outcome. Rows of one admission within the
 * chunk are folded first (only the last is written; the others are classified against their
 * predecessor). Then, in a number of round trips that depends neither on the chunk's rows nor on
 * how many admissions exist already:
 *
 * 1. one unordered `insertMany` of every admission: the new ones are `inserted`;
 * 2. for those that exist, one unordered bulk of updates conditional on an older stored version
 *    and the same content: matched rows are `unchanged`;
 * 3. for the rest, the same conditional on a different content: matched rows are `updated`;
 * 4. for the rest, one `$in` read: a newer stored version makes the row `stale`, its own version
 *    means an earlier attempt of this chunk wrote it (its stored outcome counts).
 *
 * Steps 2 and 3 are upserts on purpose: a filter that matches nothing then fails with a
 * duplicate-key error naming the operation, which is how a bulk tells per row that a newer
 * version is stored. MongoDB applies each conditional update atomically, so racing workers need
 * no lock: of two writers of one admission, the older version loses.
 */
export async function writeVersioned(store: Store, loadId: string, rows: VersionedRow[]): Promise<RowOutcome[]> {
  const outcomes: RowOutcome[] = new Array<RowOutcome>(rows.length).fill('stale');
  const groups = groupRows(loadId, rows);

  // Later rows of a group compare with the row before them, as a sequential load would.
  for (const g of groups) {
    for (let j = 1; j < g.members.length; j++) {
      const [prev, cur] = [rows[g.members[j - 1]!]!, rows[g.members[j]!]!];
      outcomes[g.members[j]!] = prev.hash === cur.hash ? 'unchanged' : 'updated';
    }
  }
  const settle = (g: Group, first: RowOutcome) => {
    if (first === 'stale') for (const m of g.members) outcomes[m] = 'stale';
    else outcomes[g.members[0]!] = first;
  };

  let pending = await insertNew(store, groups, settle);
  for (let round = 1; pending.length > 0; round++) {
    if (round > MAX_ROUNDS) throw new Error(`admissions kept changing under this chunk for ${MAX_ROUNDS} rounds`);
    pending = await conditionalUpdate(store, pending, 'unchanged', settle);
    pending = await conditionalUpdate(store, pending, 'updated', settle);
    pending = await classifyRest(store, pending, settle);
  }
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
    return { id, members, doc, firstHash: rows[members[0]!]!.hash };
  });
}

type Settle = (g: Group, first: RowOutcome) => void;

/** Step 1: inserts every group's document; returns the groups whose admission already exists. */
async function insertNew(store: Store, groups: Group[], settle: Settle): Promise<Group[]> {
  if (groups.length === 0) return [];
  let existing = new Set<number>();
  try {
    await store.patients.insertMany(
      groups.map((g) => g.doc),
      { ordered: false },
    );
  } catch (err) {
    existing = new Set(duplicateIndexes(err)); // rethrows anything but duplicate keys
  }
  groups.forEach((g, i) => existing.has(i) || settle(g, 'inserted'));
  return groups.filter((_, i) => existing.has(i));
}

/**
 * Steps 2 and 3: one bulk of updates, each applied only when the stored version is older and
 * the stored content is the same (`unchanged`) or different (`updated`) as the group's first
 * row. Returns the groups it did not write.
 */
async function conditionalUpdate(
  store: Store,
  groups: Group[],
  outcome: 'unchanged' | 'updated',
  settle: Settle,
): Promise<Group[]> {
  if (groups.length === 0) return [];
  const ops: AnyBulkWriteOperation<PatientDoc>[] = groups.map((g) => ({
    updateOne: {
      filter: {
        _id: g.id,
        '_ingest.version': { $lt: g.doc._ingest.version },
        '_ingest.hash': outcome === 'unchanged' ? g.firstHash : { $ne: g.firstHash },
      },
      update: updateOf(g, outcome),
      upsert: true,
    },
  }));
  let result: BulkWriteResult | undefined;
  let unmatched = new Set<number>();
  try {
    result = await store.patients.bulkWrite(ops, { ordered: false });
  } catch (err) {
    unmatched = new Set(duplicateIndexes(err));
    result = (err as { result?: BulkWriteResult }).result;
  }
  // An upsert here means the admission was deleted since step 1: this row created it again.
  const upserted = new Set(Object.keys(result?.upsertedIds ?? {}).map(Number));
  const rest: Group[] = [];
  groups.forEach((g, i) => {
    if (unmatched.has(i)) rest.push(g);
    else settle(g, upserted.has(i) ? 'inserted' : outcome);
  });
  return rest;
}

/** The update of steps 2 and 3: the row's values and provenance; the creator is kept. */
function updateOf(g: Group, outcome: 'unchanged' | 'updated') {
  const { _id, _ingest, ...content } = g.doc;
  const meta: Record<`_ingest.${keyof IngestMeta}`, unknown> = {
    '_ingest.loadId': _ingest.loadId,
    '_ingest.row': _ingest.row,
    '_ingest.version': _ingest.version,
    '_ingest.hash': _ingest.hash,
    '_ingest.outcome': outcome,
    '_ingest.createdBy': _ingest.createdBy,
  };
  const { '_ingest.createdBy': createdBy, ...set } = meta;
  // The stored values equal the row's when the whole group carries the stored content: then
  // only the provenance changes (the values are written only if the admission was deleted).
  const sameValues = outcome === 'unchanged' && _ingest.hash === g.firstHash;
  return sameValues
    ? { $set: set, $setOnInsert: { ...content, '_ingest.createdBy': createdBy } }
    : { $set: { ...content, ...set }, $setOnInsert: { '_ingest.createdBy': createdBy } };
}

/**
 * Step 4: reads the admissions that neither step wrote. A stored version newer than the group's
 * makes it stale, unless this group created the admission in an earlier attempt; the group's own
 * version means an earlier attempt of this chunk wrote it, and what it did then counts. An older
 * one means another writer changed it between steps 2 and 3: those groups go round again.
 */
async function classifyRest(store: Store, groups: Group[], settle: Settle): Promise<Group[]> {
  if (groups.length === 0) return [];
  const stored = new Map(
    // One batch for all (at most one document per id): the default first batch of 101 and an
    // open cursor would add getMore round trips.
    (
      await store.patients
        .find(
          { _id: { $in: groups.map((g) => g.id) } },
          { projection: { _ingest: 1 }, limit: groups.length, batchSize: groups.length },
        )
        .toArray()
    ).map((d) => [d._id, d._ingest]),
  );
  const again: Group[] = [];
  for (const g of groups) {
    const meta = stored.get(g.id);
    const version = g.doc._ingest.version;
    if (!meta) throw new Error('an admission disappeared while its chunk was written');
    if (meta.version < version) again.push(g);
    else if (meta.createdBy === version) settle(g, 'inserted');
    else settle(g, meta.version === version ? meta.outcome : 'stale');
  }
  return again;
}
