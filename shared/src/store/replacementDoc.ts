import type { WriteOutcome } from './patientDoc.js';

/**
 * `replacements`: one document per row of a load found replaced by a later row of the same load
 * in another chunk (`_id`: `<loadId>:<admission>:<version>`). The row itself counted `outcome`;
 * the chunk named by `by` (`<loadId>.<chunk>`), the first to claim it, counts it back and one
 * `superseded` instead. Several chunks may find the same pair, in any order and attempt: the
 * claim makes it counted once (worker write/replacementClaims.ts).
 *
 * A row that wrote nothing and lost to a newer version claims itself (`own`): it then counts
 * `outcome` and nobody counts it back; if another chunk claimed it first, it counts what that
 * claim holds. So every attempt of its chunk counts it as the claim says, whatever it finds.
 */
export interface ReplacementDoc {
  _id: string;
  loadId: string;
  /** the load's sequence number (claims of complete loads are swept by it) */
  seq: number;
  by: string;
  outcome: WriteOutcome | 'superseded' | 'stale';
  /** the row's own chunk claimed it: counted as `outcome`, never counted back */
  own?: true;
  at: Date;
}
