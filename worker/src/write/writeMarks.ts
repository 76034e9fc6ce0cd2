import { chunkDocId, type Store, type WriteMarkDoc, isDuplicateKey } from '@hcingest/shared';

/** A chunk of a load, with the range of its rows' versions. */
export interface MarkedChunk {
  loadId: string;
  chunk: number;
  seq: number;
  /** lowest and highest version among the chunk's valid rows */
  from: number;
  to: number;
}

/** A row of a chunk: its admission and version. */
export interface MarkedRow {
  id: string;
  version: number;
}

/** What the marks of earlier chunks (lower versions) say about this chunk's admissions. */
export interface EarlierMarks {
  /** of this chunk's unchanged admissions, those an earlier chunk (of any load) is changing */
  changing: Set<string>;
  /** unchanged rows of earlier chunks of this load on this chunk's admissions: replaced by this chunk */
  unchangedOfLoad: MarkedRow[];
}

/** What the marks of later chunks (higher versions) say about this chunk's admissions. */
export interface LaterMarks {
  /** of this chunk's changing admissions, those a later chunk left unchanged, with that chunk's load */
  unchanged: Map<string, string>;
  /** of this chunk's unchanged admissions, those a later chunk of this load has too */
  ofLoad: Set<string>;
}

/**
 * The chunk's marks in `write_marks`, the guard that lets an unchanged row skip its write.
 *
 * A row whose admission is stored exactly as its load found it (same values, from an earlier
 * load) writes nothing. The one thing such a write would have done is to stop a row with a lower
 * version, processed later, from winning: an earlier row of the same load with other values (in
 * an earlier chunk), or a row of an earlier load still running. Only a row that moves an
 * admission from an earlier load's state to its own can do that. So both sides announce
 * themselves first, then look for the other, with one write and one round of reads per chunk:
 *
 * - a chunk records the admissions it leaves unchanged and those it is about to change
 *   (`record`), in one document;
 * - then its changing rows look for a later chunk's unchanged mark on their admission
 *   (`around`): a row that finds one does not write (it lost to a newer version);
 * - and its unchanged rows look for an earlier chunk's intent to change theirs (`around` too): a
 *   row that finds one writes after all, with its version, which wins.
 *
 * Each side writes before it reads, so of two racing rows at least one sees the other (the
 * store acknowledges a write before the next command is sent): either the earlier row does not
 * write, or the later one writes over it. Marks are only ever added (a retried chunk adds to its
 * document), so a mark seen once stays seen.
 *
 * The same reads find the rows of this load that an unchanged row replaced, or that replaced it
 * (`unchangedOfLoad`, `ofLoad`): such a row wrote nothing that a later row could count back, so
 * the pair is counted through a claim (ReplacementClaims), by whichever side sees it first.
 */
export class WriteMarks {
  readonly id: string;

  constructor(
    private readonly store: Store,
    private readonly chunk: MarkedChunk,
  ) {
    this.id = chunkDocId(chunk.loadId, chunk.chunk);
  }

  /** Records the chunk's unchanged rows and the admissions it is about to change. */
  async record(unchanged: MarkedRow[], changing: string[]): Promise<void> {
    if (unchanged.length === 0 && changing.length === 0) return;
    const { loadId, seq, from, to } = this.chunk;
    const ids = unchanged.map((r) => r.id);
    const rows = unchanged.map(({ id, version }) => ({ id, version }));
    try {
      await this.store.writeMarks.insertOne({
        _id: this.id,
        loadId,
        seq,
        from,
        to,
        unchanged: ids,
        unchangedRows: rows,
        changing,
        at: new Date(),
      });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // else an earlier attempt's document: add to it
      await this.store.writeMarks.updateOne(
        { _id: this.id },
        { $addToSet: { unchanged: { $each: ids }, unchangedRows: { $each: rows }, changing: { $each: changing } } },
      );
    }
  }

  /**
   * Reads the marks of other chunks on this chunk's unchanged and changing admissions: earlier
   * chunks' (lower versions) and later chunks' (higher versions), in queries sent at once.
   */
  async around(unchanged: string[], changing: string[]): Promise<{ earlier: EarlierMarks; later: LaterMarks }> {
    const earlier: EarlierMarks = { changing: new Set(), unchangedOfLoad: [] };
    const later: LaterMarks = { unchanged: new Map(), ofLoad: new Set() };
    const { loadId, from, to } = this.chunk;
    const all = [...unchanged, ...changing];
    const lower = { to: { $lt: from } };
    const higher = { from: { $gt: to } };
    // One query per condition, each on one array's index: a query of several array conditions
    // joined by $or is matched document by document on the test server (45 s against 30 ms for
    // 56 marks of 1,000 admissions: docs/test-store.md, "Notes on the test server").
    const queries: object[] = [];
    if (all.length > 0) {
      queries.push({ ...lower, loadId, unchanged: { $in: all } }, { ...higher, unchanged: { $in: all } });
    }
    if (unchanged.length > 0) {
      queries.push({ ...lower, changing: { $in: unchanged } }, { ...higher, loadId, changing: { $in: unchanged } });
    }
    const found = await Promise.all(
      queries.map((q) =>
        this.store.writeMarks
          .find(
            { ...q, _id: { $ne: this.id } },
            { projection: { loadId: 1, from: 1, unchanged: 1, unchangedRows: 1, changing: 1 } },
          )
          .toArray(),
      ),
    );
    const wanted = { all: new Set(all), unchanged: new Set(unchanged), changing: new Set(changing) };
    const seen = new Set<string>();
    for (const m of found.flat()) {
      if (seen.has(m._id)) continue;
      seen.add(m._id);
      if (m.from > to) readLater(m, loadId, wanted, later);
      else readEarlier(m, loadId, wanted, earlier);
    }
    return { earlier, later };
  }
}

type Wanted = Record<'all' | 'unchanged' | 'changing', Set<string>>;

function readEarlier(m: WriteMarkDoc, loadId: string, wanted: Wanted, found: EarlierMarks): void {
  for (const id of m.changing) if (wanted.unchanged.has(id)) found.changing.add(id);
  if (m.loadId !== loadId) return;
  for (const r of m.unchangedRows) if (wanted.all.has(r.id)) found.unchangedOfLoad.push(r);
}

function readLater(m: WriteMarkDoc, loadId: string, wanted: Wanted, found: LaterMarks): void {
  for (const id of m.unchanged) {
    // A later row of this load decides over one of a later load: the row is then superseded.
    if (wanted.changing.has(id) && found.unchanged.get(id) !== loadId) found.unchanged.set(id, m.loadId);
  }
  if (m.loadId !== loadId) return;
  for (const id of [...m.unchanged, ...m.changing]) if (wanted.unchanged.has(id)) found.ofLoad.add(id);
}
