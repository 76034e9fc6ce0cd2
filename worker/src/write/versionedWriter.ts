import type { AnyBulkWriteOperation, BulkWriteResult, Document } from 'mongodb';
import { type OwnRow, ReplacementClaims, type ReplacedRow } from './replacementClaims.js';
import { WriteMarks } from './writeMarks.js';
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

/** The chunk being written: its load, number and the load's sequence number. */
export interface ChunkOfLoad {
  loadId: string;
  chunk: number;
  seq: number;
}

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
 * Chunks of a load may finish in any order, so a row may be counted before a later row of the
 * same load arrives. The later row's chunk then counts the earlier row back: minus its outcome,
 * plus one superseded. Every write records itself in the document (`_ingest.writes`), which is
 * how a later row knows what it replaced, and how a chunk processed again counts exactly what
 * its first attempt did.
 *
 * A row that finds its admission as an earlier load left it, with the same values, writes
 * nothing at all (a reload's common case): the chunk's marks (WriteMarks) keep an earlier row
 * from winning over it instead of a version written into every such document, and find the
 * pairs of rows of one load that no write record shows. Each replaced row is counted back once,
 * by the chunk that claims it first (ReplacementClaims). The sums per load do not depend on the
 * order; the per-chunk counts may be negative.
 *
 * In a number of round trips that depends neither on the chunk's rows nor on how many
 * admissions exist (all bulks unordered; upserts only to learn per row that a filter did not
 * match: MongoDB then refuses the insert with a duplicate key naming the operation):
 * 1. `insertMany` of every admission: the new ones are inserted;
 * 2. one `$in` read of the others' versions and hashes sorts them: as an earlier load left them
 *    with the same values (unchanged), with other values (changing), or written since by this
 *    load or a later one (the rest);
 * 3. the chunk's marks: one insert, then the other chunks' marks on its admissions (reads sent
 *    at once);
 * 4. the changing ones that no later row left unchanged: one conditional update (updated);
 * 5. the rest, and the unchanged ones an earlier row is changing: one update that computes the
 *    outcome from the stored state in the server, atomically, then one `$in` read to classify
 *    them from their write records;
 * 6. the claims on the rows found replaced, and the rows that lost to a newer version without
 *    writing claiming themselves: one insert (and a read when such a row was claimed before),
 *    then one read of this chunk's claims. (The rows the marks of step 3 show replaced are
 *    claimed right after step 3, before any write: one insert when there are any.)
 * A chunk whose admissions are all new stops after step 1.
 */
export async function writeVersioned(store: Store, chunk: ChunkOfLoad, rows: VersionedRow[]): Promise<WriteCounts> {
  const tally = new Tally();
  const groups = groupRows(chunk.loadId, rows);
  for (const g of groups) tally.counts.superseded += g.earlier;

  const existing = await insertNew(store, groups, tally);
  if (existing.length === 0) return tally.counts;
  const sorted = await sortExisting(store, existing);
  const marks = new WriteMarks(store, { ...chunk, ...versionRange(rows) });
  const decided = await guardOrder(marks, chunk.loadId, sorted, tally);
  const claims = new ReplacementClaims(store, chunk);
  await claimBeforeWriting(claims, decided);
  decided.pending.push(...(await updateFromEarlierLoad(store, decided.changing, tally)));
  if (decided.pending.length > 0) {
    await updateAny(store, decided.pending);
    const classified = await classify(store, decided.pending, tally);
    decided.replaced.push(...classified.replaced);
    decided.lost.push(...classified.lost);
  }
  await countReplacements(claims, decided, tally);
  return tally.counts;
}

/**
 * The pairs of rows the marks showed are claimed before anything is written: an attempt that
 * crashes after its write is retried on a store that holds that write, and such a retry does not
 * read the marks again (the admission is then written by its load), so it would not find them.
 * It counts them back from the claims (`counted`), like every claim of its chunk.
 */
async function claimBeforeWriting(claims: ReplacementClaims, decided: Decided): Promise<void> {
  if (decided.replaced.length === 0) return;
  await claims.claim(decided.replaced, []);
  decided.replaced = [];
}

/** A chunk's counts as its rows settle: an outcome per row, and the rows it found replaced counted back. */
class Tally {
  readonly counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0, superseded: 0, stale: 0 };

  settle(outcome: WriteOutcome | 'stale' | 'superseded'): void {
    this.counts[outcome] += 1;
  }

  /** A row that counted `outcome` was replaced by a later row of its load: it counts as superseded. */
  takeBack(outcome: WriteOutcome | 'superseded'): void {
    this.counts[outcome] -= 1;
    this.counts.superseded += 1;
  }
}

/** What the marks decided for a chunk's existing admissions, and the pairs of rows they found. */
interface Decided {
  /** rows to write with the full update (written since by another row, or an earlier row is changing them) */
  pending: Group[];
  /** rows changing an admission an earlier load left, that no later row left unchanged */
  changing: Group[];
  /** rows of this load, in this chunk or another, found replaced by a later row of the load */
  replaced: ReplacedRow[];
  /** this chunk's rows that lost to a newer version without writing: superseded (of their load) or stale */
  lost: OwnRow[];
}

/**
 * Step 3: the chunk's marks (WriteMarks): recorded, then the other chunks' read. An unchanged
 * row writes nothing unless an earlier row is changing its admission and no later row of its
 * load has it; a changing row does not write when a later row left the admission unchanged.
 */
async function guardOrder(
  marks: WriteMarks,
  loadId: string,
  sorted: { unchanged: Group[]; changing: Group[]; rest: Group[] },
  tally: Tally,
): Promise<Decided> {
  const ids = (gs: Group[]) => gs.map((g) => g.id);
  const row = (g: Group) => ({ id: g.id, version: g.doc._ingest.version });
  await marks.record(sorted.unchanged.map(row), ids(sorted.changing));
  const { earlier, later } = await marks.around(ids(sorted.unchanged), ids(sorted.changing));

  const decided: Decided = { pending: sorted.rest, changing: [], replaced: [], lost: [] };
  decided.replaced.push(...earlier.unchangedOfLoad.map((r) => ({ ...r, outcome: 'unchanged' as const })));
  for (const g of sorted.unchanged) {
    // A later row of the load has the admission: it decides, against any earlier change too (of
    // the two, one sees the other). Writing here could land after that row chose to write nothing.
    if (later.ofLoad.has(g.id)) {
      decided.replaced.push({ ...row(g), outcome: 'unchanged' });
      tally.settle('unchanged');
    } else if (earlier.changing.has(g.id)) decided.pending.push(g);
    else tally.settle('unchanged');
  }
  for (const g of sorted.changing) {
    const winner = later.unchanged.get(g.id);
    if (winner === undefined) decided.changing.push(g);
    else decided.lost.push({ ...row(g), outcome: winner === loadId ? 'superseded' : 'stale' });
  }
  return decided;
}

/**
 * Last step: the claims (ReplacementClaims) on the rows found replaced; the rows that lost count
 * what their claim holds, and this chunk counts back every row it claimed, in any attempt.
 */
async function countReplacements(claims: ReplacementClaims, decided: Decided, tally: Tally): Promise<void> {
  const held = await claims.claim(decided.replaced, decided.lost);
  for (const r of decided.lost) tally.settle(held.get(claims.key(r)) ?? r.outcome);
  for (const outcome of await claims.counted()) tally.takeBack(outcome);
}

function versionRange(rows: VersionedRow[]): { from: number; to: number } {
  let from = Infinity;
  let to = -Infinity;
  for (const r of rows) {
    from = Math.min(from, r.version);
    to = Math.max(to, r.version);
  }
  return { from, to };
}

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
async function insertNew(store: Store, groups: Group[], tally: Tally): Promise<Group[]> {
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
  groups.forEach((g, i) => existing.has(i) || tally.settle('inserted'));
  return groups.filter((_, i) => existing.has(i));
}

/**
 * Step 2: sorts the groups whose admission exists by the stored state, in one read: left by an
 * earlier load with the row's values (unchanged) or other values (changing), or written since
 * by this load or a later one (rest; an admission deleted meanwhile counts as changing).
 */
async function sortExisting(
  store: Store,
  groups: Group[],
): Promise<{ unchanged: Group[]; changing: Group[]; rest: Group[] }> {
  const sorted = { unchanged: [] as Group[], changing: [] as Group[], rest: [] as Group[] };
  if (groups.length === 0) return sorted;
  const stored = new Map(
    (
      await store.patients
        .find(
          { _id: { $in: groups.map((g) => g.id) } },
          {
            projection: { '_ingest.version': 1, '_ingest.hash': 1 },
            limit: groups.length,
            batchSize: groups.length,
          },
        )
        .toArray()
    ).map((d) => [d._id, d._ingest]),
  );
  for (const g of groups) {
    const meta = stored.get(g.id);
    const loadStart = loadOf(g.doc._ingest.version) * ROWS_PER_LOAD;
    if (meta && (meta.version ?? -1) >= loadStart) sorted.rest.push(g);
    else if (meta && meta.hash === g.doc._ingest.hash) sorted.unchanged.push(g);
    else sorted.changing.push(g);
  }
  return sorted;
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
 * Step 4: the groups whose stored admission an earlier load left with other values, when no
 * later row left it unchanged: `updated`, known from the filter, so no read follows. Returns
 * the groups it did not match (written meanwhile by another row): they go to step 5.
 */
async function updateFromEarlierLoad(store: Store, groups: Group[], tally: Tally): Promise<Group[]> {
  if (groups.length === 0) return [];
  const { unmatched, upserted } = await bulk(store, groups, (g) => {
    const meta = g.doc._ingest;
    const loadStart = loadOf(meta.version) * ROWS_PER_LOAD;
    const filter = { _id: g.id, '_ingest.version': { $lt: loadStart }, '_ingest.hash': { $ne: meta.hash } };
    return { updateOne: { filter, update: fromEarlierLoad(g), upsert: true } };
  });
  const rest: Group[] = [];
  groups.forEach((g, i) => {
    if (unmatched.has(i)) rest.push(g);
    else tally.settle(upserted.has(i) ? 'inserted' : 'updated');
  });
  return rest;
}

/** The update of step 4: the row's values and provenance, the stored hash as `base`, its write record. */
function fromEarlierLoad(g: Group): Document[] {
  const { _id, _ingest: meta, ...content } = g.doc;
  const record: WriteRecord = { version: meta.version, outcome: 'updated' };
  const provenance = {
    '_ingest.loadId': meta.loadId,
    '_ingest.row': meta.row,
    '_ingest.version': meta.version,
    '_ingest.outcome': 'updated',
  };
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
 * Step 5: one update per group, applied when the stored version is older than the row's,
 * whatever wrote it. The server computes the outcome against the state before this row's load
 * (the stored values when they come from an earlier load, else the `base` kept by this load)
 * and appends the write record, in one atomic step. Which row it replaced is read next.
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
 * Step 5, then: reads the groups' admissions and classifies each from its write records: the row's
 * own record tells what it did (also when a later row has replaced it since), and the record
 * before it, when it belongs to the same load, the row it replaced (claimed in step 6). A row
 * that never wrote lost to a newer version (`lost`, counted through its own claim in step 6): of
 * its own load (superseded) or of a later one (stale, unless it created the admission in an
 * earlier attempt). After the update the stored version is at least the row's (versions only
 * grow), unless the admission was deleted meanwhile: the attempt then fails and the queue
 * retries the chunk.
 */
async function classify(store: Store, groups: Group[], tally: Tally): Promise<Pick<Decided, 'replaced' | 'lost'>> {
  const found: Pick<Decided, 'replaced' | 'lost'> = { replaced: [], lost: [] };
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
      tally.settle(writes[own]!.outcome);
      const before = writes[own - 1];
      if (before && loadOf(before.version) === loadOf(version)) found.replaced.push({ id: g.id, ...before });
    } else {
      const ofLoad = loadOf(meta.version) === loadOf(version);
      found.lost.push({
        id: g.id,
        version,
        outcome: ofLoad ? 'superseded' : meta.createdBy === version ? 'inserted' : 'stale',
      });
    }
  }
  return found;
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
