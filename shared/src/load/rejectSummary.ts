import type { Store } from '../store/collections.js';

/** A reason rows of a load were rejected for: how many rows, and the first of them. */
export interface ReasonCount {
  reason: string;
  rows: number;
  firstRow: number;
}

/**
 * A load's rejects grouped by reason, counted in the server, most frequent first (a row with
 * several reasons counts under each). The first row number lets an operator open the file there.
 */
export async function rejectsByReason(store: Store, loadId: string): Promise<ReasonCount[]> {
  const groups = await store.rejects
    .aggregate<{ _id: string; rows: number; firstRow: number }>([
      { $match: { loadId } },
      { $unwind: '$reasons' },
      { $group: { _id: '$reasons', rows: { $sum: 1 }, firstRow: { $min: '$row' } } },
    ])
    .toArray();
  return groups
    .map((g) => ({ reason: g._id, rows: g.rows, firstRow: g.firstRow }))
    .sort((a, b) => b.rows - a.rows || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
}

/** Share of the rows read that were rejected (0 when nothing was read). */
export function rejectRate(report: { rowsRead: number | null; rejected: number }): number {
  return report.rowsRead ? report.rejected / report.rowsRead : 0;
}
