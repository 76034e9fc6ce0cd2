import { chunkDocId, type ReplacementDoc, type Store, type WriteOutcome, duplicateIndexes } from '@hcingest/shared';

/** A row of the load found replaced by a later row of the same load, and what it counted. */
export interface ReplacedRow {
  id: string;
  version: number;
  outcome: WriteOutcome | 'superseded';
}

/** What a row that wrote nothing and lost to a newer version counts, unless claimed: superseded or stale. */
export type OwnOutcome = 'superseded' | 'stale' | 'inserted';

/** One of this chunk's rows that wrote nothing and lost to a newer version, and what it would count. */
export interface OwnRow {
  id: string;
  version: number;
  outcome: OwnOutcome;
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
 *
 * A row that wrote nothing and lost to a newer version claims itself, with what it would count:
 * an earlier attempt of its chunk may have left a mark that another chunk claims it by (as
 * unchanged), while this attempt finds it stale. Whichever claim is first decides, for every
 * attempt and every chunk.
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
   * rows that lost to a newer version without writing: for each, the outcome it counts (its own,
   * or what the claim made first holds).
   */
  async claim(replaced: ReplacedRow[], own: OwnRow[]): Promise<Map<string, ReplacementDoc['outcome']>> {
    const at = new Date();
    const claim = (r: { id: string; version: number }, outcome: ReplacementDoc['outcome']): ReplacementDoc => ({
      _id: this.key(r),
      loadId: this.chunk.loadId,
      seq: this.chunk.seq,
      by: this.by,
      outcome,
      at,
    });
    const docs = [
      ...replaced.map((r) => claim(r, r.outcome)),
      ...own.map((r): ReplacementDoc => ({ ...claim(r, r.outcome), own: true })),
    ];
    const outcomes = new Map<string, ReplacementDoc['outcome']>();
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
      else outcomes.set(d._id, d.outcome);
    });
    if (held.length > 0) {
      const claims = this.store.replacements.find({ _id: { $in: held } }, { projection: { outcome: 1 } });
      for await (const c of claims) outcomes.set(c._id, c.outcome);
    }
    return outcomes;
  }

  /** The outcomes this chunk's claims count back, one per claim but its own rows', from every attempt. */
  async counted(): Promise<ReplacedRow['outcome'][]> {
    const claims = await this.store.replacements
      .find({ by: this.by, own: { $ne: true } }, { projection: { outcome: 1 } })
      .toArray();
    return claims.map((c) => c.outcome as ReplacedRow['outcome']);
  }

  key(row: { id: string; version: number }): string {
    return `${this.chunk.loadId}:${row.id}:${row.version}`;
  }
}
