import { chunkDocId, type ReplacementDoc, type Store, type WriteOutcome, duplicateIndexes } from '@hcingest/shared';

/** A row of the load found replaced by a later row of the same load, and what it counted. */
export interface ReplacedRow {
  id: string;
  version: number;
  outcome: WriteOutcome | 'superseded';
}

/**
 * Claims in `replacements` (replacementDoc.ts): a row replaced by a later row of its load in
 * another chunk counts `superseded` in the load's report exactly once, whichever chunks find
 * the pair, in whatever order and attempt.
 *
 * The replaced row counts its own outcome; the first chunk to claim it counts that outcome back
 * and one `superseded`. Counting back is done from the claims themselves (`counted`), never
 * from what an attempt happened to see, so a chunk processed again counts its claims again,
 * also those made by an attempt that crashed.
 */
export class ReplacementClaims {
  readonly by: string;

  constructor(
    private readonly store: Store,
    private readonly chunk: { loadId: string; chunk: number; seq: number },
  ) {
    this.by = chunkDocId(chunk.loadId, chunk.chunk);
  }

  /**
   * Claims the rows for this chunk, those that no chunk claimed before; `own` are this chunk's
   * rows that lost to a later row of the load: for each, the outcome its claim holds, which the
   * row counts (`superseded` when this chunk claimed it).
   */
  async claim(
    replaced: ReplacedRow[],
    own: { id: string; version: number }[],
  ): Promise<Map<string, ReplacedRow['outcome']>> {
    const docs = [...replaced, ...own.map((r) => ({ ...r, outcome: 'superseded' as const }))].map(
      (r): ReplacementDoc => ({
        _id: this.key(r),
        loadId: this.chunk.loadId,
        seq: this.chunk.seq,
        by: this.by,
        outcome: r.outcome,
        at: new Date(),
      }),
    );
    const outcomes = new Map<string, ReplacedRow['outcome']>();
    if (docs.length === 0) return outcomes;
    let refused = new Set<number>();
    try {
      await this.store.replacements.insertMany(docs, { ordered: false });
    } catch (err) {
      refused = new Set(duplicateIndexes(err)); // rethrows anything but duplicate keys
    }
    const ownFrom = replaced.length;
    const held: string[] = [];
    docs.forEach((d, i) => {
      if (i < ownFrom) return;
      if (refused.has(i)) held.push(d._id);
      else outcomes.set(d._id, 'superseded');
    });
    if (held.length > 0) {
      const claims = this.store.replacements.find({ _id: { $in: held } }, { projection: { outcome: 1 } });
      for await (const c of claims) outcomes.set(c._id, c.outcome);
    }
    return outcomes;
  }

  /** The outcomes this chunk's claims count back, one per claim, from every attempt. */
  async counted(): Promise<ReplacedRow['outcome'][]> {
    const claims = await this.store.replacements.find({ by: this.by }, { projection: { outcome: 1 } }).toArray();
    return claims.map((c) => c.outcome);
  }

  key(row: { id: string; version: number }): string {
    return `${this.chunk.loadId}:${row.id}:${row.version}`;
  }
}
