import type { AnyBulkWriteOperation, BulkWriteResult, Document } from 'mongodb';
import {
  type Counts,
  type Admission,
  ROWS_PER_LOAD,
  type Store,
  duplicateIndexes,
  MAX_WRITES,
  toPatientDoc,
  type PatientDoc,
  type WriteOutcome,
  type WriteRecord,
} from '@hcingest/shared';

/** A valid row ready to be written. */
export interface VersionedRow {
  id: string;
  admission: Admission;
  hash: string;
  version: number;
  row: number;
}

/** What a chunk's rows did: the outcome counts of the report, adjustments included. */
export type WriteCounts = Pick<Counts, 'inserted' | 'updated' | 'unchanged' | 'superseded' | 'stale'>;

/** The rows of one admission within a chunk; only the last (highest version) is written. */
interface Group {
  id: string;
  /** rows of the group before the last: replaced by a later row of the same load */
  earlier: number;
  doc: PatientDoc;
}

const loadOf = (version: number) => Math.floor(version / ROWS_PER_LOAD);

/**
 * Writes a chunk's valid rows so that, per admission, the highest version wins whatever order
 * chunks are processed in, and counts what the rows did to the store, per load:
 *
 * - the last row of an admission in a load compares with the admission as it was before the
 *   load: `inserted` (it did not exist), `updated` or `unchanged`; or `stale` when a later load
 *   had already stored a newer version;
 * - every other row of the admission in the load is `superseded` (replaced by a later row of
 *   the same load): counted apart, so that a file with one changed field reports 1 updated.
 *
 * Chunks of a load may finish in any order, so a row may write before a later row of the same
 * load arrives. That later row then counts for both: its own outcome, minus the earlier row's,
 * plus one superseded. Every write records itself in the document (`_ingest.writes`), which is
 * how a later row knows what it replaced, and how a chunk processed again counts exactly what
 * its first attempt did. The sums per load do not depend on the order; the per-chunk counts may
 * be negative.
 *
 * In a number of round trips that depends neither on the chunk's rows nor on how many
 * admissions exist (all bulks unordered; upserts only to learn per row that a filter did not
 * match: MongoDB then refuses the insert with a duplicate key naming the operation):
 * 1. `insertMany` of every admission: the new ones are inserted;
 * 2. for those from an earlier load with the same values: unchanged (a reload's path);
 * 3. for those from an earlier load with other values: updated;
 * 4. for the rest (written earlier by this load, or by a later load), one update that computes
 *    the outcome from the stored state in the server, atomically;
 * 5. one `$in` read of the rest, to classify them from their write records.
 */
export async function writeVersioned(store: Store, loadId: string, rows: VersionedRow[]): Promise<WriteCounts> {
  const counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0, superseded: 0, stale: 0 };
  const groups = groupRows(loadId, rows);
  for (const g of groups) counts.superseded += g.earlier;
  const settle = (outcome: WriteOutcome | 'stale' | 'superseded', replaced?: WriteOutcome) => {
    counts[outcome] += 1;
    if (replaced) {
      counts[replaced] -= 1;
      counts.superseded += 1;
    }
  };

  let pending = await insertNew(store, groups, settle);
  pending = await updateFromEarlierLoad(store, pending, 'unchanged', settle);
  pending = await updateFromEarlierLoad(store, pending, 'updated', settle);
  if (pending.length > 0) {
    await updateAny(store, pending);
    await classify(store, pending, settle);
  }
  return counts;
}

type Settle = (outcome: WriteOutcome | 'stale' | 'superseded', replaced?: WriteOutcome) => void;

function groupRows(loadId: string, rows: VersionedRow[]): Group[] {
  const last = new Map<string, VersionedRow>();
  const earlier = new Map<string, number>();
  for (const r of rows) {
    const held = last.get(r.id);
    if (!held || r.version > held.version) last.set(r.id, r);
    if (held) earlier.set(r.id, (earlier.get(r.id) ?? 0) + 1);
  }
  return [...last.values()].map((r) => ({
    id: r.id,
    earlier: earlier.get(r.id) ?? 0,
    doc: toPatientDoc(r.id, r.admission, {
      loadId,
      row: r.row,
      version: r.version,
      hash: r.hash,
      outcome: 'inserted',
      base: null,
      writes: [{ version: r.version, outcome: 'inserted' }],
      createdBy: r.version,
    }),
  }));
}

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
  groups.forEach((g, i) => existing.has(i) || settle('inserted'));
  return groups.filter((_, i) => existing.has(i));
}

/**
 * Runs one unordered bulk of upserts, one per group; returns which groups' filters matched
 * nothing (a duplicate-key refusal) and which created a document (the admission was deleted).
 */
async function bulk(
  store: Store,
  groups: Group[],
  op: (g: Group) => AnyBulkWriteOperation<PatientDoc>,
): Promise<{ unmatched: Set<number>; upserted: Set<number> }> {
  let result: BulkWriteResult | undefined;
  let unmatched = new Set<number>();
  try {
    result = await store.patients.bulkWrite(groups.map(op), { ordered: false });
  } catch (err) {
    unmatched = new Set(duplicateIndexes(err));
    result = (err as { result?: BulkWriteResult }).result;
  }
  return { unmatched, upserted: new Set(Object.keys(result?.upsertedIds ?? {}).map(Number)) };
}

/**
 * Steps 2 and 3: the groups whose stored admission comes from an earlier load, with the same
 * values (`unchanged`: only the provenance changes) or other values (`updated`). The outcome
 * is known from the filter, so no read follows. Returns the groups neither matched.
 */
async function updateFromEarlierLoad(
  store: Store,
  groups: Group[],
  outcome: 'unchanged' | 'updated',
  settle: Settle,
): Promise<Group[]> {
  if (groups.length === 0) return [];
  const { unmatched, upserted } = await bulk(store, groups, (g) => {
    const meta = g.doc._ingest;
    const loadStart = loadOf(meta.version) * ROWS_PER_LOAD;
    const filter = {
      _id: g.id,
      '_ingest.version': { $lt: loadStart },
      '_ingest.hash': outcome === 'unchanged' ? meta.hash : { $ne: meta.hash },
    };
    return { updateOne: { filter, update: fromEarlierLoad(g, outcome), upsert: true } };
  });
  const rest: Group[] = [];
  groups.forEach((g, i) => {
    if (unmatched.has(i)) rest.push(g);
    else settle(upserted.has(i) ? 'inserted' : outcome);
  });
  return rest;
}

/** The update of steps 2 and 3: the row's provenance, its values when they differ, its write record. */
function fromEarlierLoad(g: Group, outcome: 'unchanged' | 'updated'): Document[] | Document {
  const { _id, _ingest: meta, ...content } = g.doc;
  const record: WriteRecord = { version: meta.version, outcome };
  const provenance = {
    '_ingest.loadId': meta.loadId,
    '_ingest.row': meta.row,
    '_ingest.version': meta.version,
    '_ingest.outcome': outcome,
  };
  if (outcome === 'unchanged') {
    // The stored values are the row's: only the provenance changes (the values are written only
    // if the admission was deleted meanwhile and this creates it again).
    return {
      $set: { ...provenance, '_ingest.base': meta.hash },
      $push: { '_ingest.writes': { $each: [record], $slice: -MAX_WRITES } },
      // (_ingest.hash comes from the filter's equality when this inserts.)
      $setOnInsert: { ...content, '_ingest.createdBy': meta.createdBy },
    };
  }
  // The state before this load is the stored one: the pipeline copies its hash into `base`.
  return [
    {
      $set: {
        ...literals(content),
        _ingest: {
          ...literals(provenance, '_ingest.'),
          hash: { $literal: meta.hash },
          base: '$_ingest.hash',
          createdBy: { $ifNull: ['$_ingest.createdBy', { $literal: meta.createdBy }] },
          writes: appendRecord(record),
        },
      },
    },
  ];
}

/**
 * Step 4: one update per group, applied when the stored version is older than the row's,
 * whatever wrote it. The server computes the outcome against the state before this row's load
 * (the stored values when they come from an earlier load, else the `base` kept by this load)
 * and appends the write record, in one atomic step. Which row it replaced is read in step 5.
 */
async function updateAny(store: Store, groups: Group[]): Promise<void> {
  await bulk(store, groups, (g) => {
    const { _id, _ingest: meta, ...content } = g.doc;
    const loadStart = loadOf(meta.version) * ROWS_PER_LOAD;
    const fromEarlierLoad = { $lt: [{ $ifNull: ['$_ingest.version', -1] }, loadStart] };
    const missing = { $eq: [{ $type: '$_ingest' }, 'missing'] };
    const update = [
      {
        $set: {
          _base: {
            $cond: [missing, null, { $cond: [fromEarlierLoad, '$_ingest.hash', { $ifNull: ['$_ingest.base', null] }] }],
          },
        },
      },
      {
        $set: {
          _outcome: {
            $cond: [
              { $eq: ['$_base', null] },
              'inserted',
              { $cond: [{ $eq: ['$_base', meta.hash] }, 'unchanged', 'updated'] },
            ],
          },
        },
      },
      {
        $set: {
          ...literals(content),
          _ingest: {
            loadId: { $literal: meta.loadId },
            row: { $literal: meta.row },
            version: { $literal: meta.version },
            hash: { $literal: meta.hash },
            outcome: '$_outcome',
            base: '$_base',
            createdBy: { $ifNull: ['$_ingest.createdBy', { $literal: meta.createdBy }] },
            writes: appendRecord({ version: meta.version, outcome: '$_outcome' }),
          },
        },
      },
      { $unset: ['_base', '_outcome'] },
    ];
    return { updateOne: { filter: { _id: g.id, '_ingest.version': { $lt: meta.version } }, update, upsert: true } };
  });
}

/**
 * Step 5: reads the groups' admissions and classifies each from its write records: the row's
 * own record tells what it did (also when a later row has replaced it since), and the record
 * before it, when it belongs to the same load, the row it replaced. A row that never wrote lost
 * to a newer version: of its own load (superseded) or of a later one (stale, unless it created
 * the admission in an earlier attempt). After step 4 the stored version is at least the row's
 * (versions only grow), unless the admission was deleted meanwhile: the attempt then fails and
 * the queue retries the chunk.
 */
async function classify(store: Store, groups: Group[], settle: Settle): Promise<void> {
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
  for (const g of groups) {
    const meta = stored.get(g.id);
    const version = g.doc._ingest.version;
    if (!meta || meta.version < version) throw new Error('an admission was deleted while its chunk was written');
    const writes: WriteRecord[] = meta.writes ?? [];
    const own = writes.findIndex((w) => w.version === version);
    if (own >= 0) {
      const before = writes[own - 1];
      settle(writes[own]!.outcome, before && loadOf(before.version) === loadOf(version) ? before.outcome : undefined);
    } else if (loadOf(meta.version) === loadOf(version)) settle('superseded');
    else settle(meta.createdBy === version ? 'inserted' : 'stale');
  }
}

/** The record list with one more record, the oldest dropped beyond MAX_WRITES. */
function appendRecord(record: { version: number; outcome: string }): Document {
  return {
    $slice: [
      {
        $concatArrays: [
          { $ifNull: ['$_ingest.writes', []] },
          [{ version: { $literal: record.version }, outcome: record.outcome }],
        ],
      },
      -MAX_WRITES,
    ],
  };
}

/**
 * Values as literals of an aggregation pipeline: a value such as "$x" (a name, a hospital) must
 * be stored as written, never read as a field path.
 */
function literals(values: Record<string, unknown>, strip = ''): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k.slice(strip.length), { $literal: v }]));
}
