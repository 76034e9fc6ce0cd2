import type { WriteOutcome } from './patientDoc.js';

/**
 * `replacements`: one document per row of a load found replaced by a later row of the same load
 * in another chunk (`_id`: `<loadId>:<admission>:<version>`). The row itself counted `outcome`;
 * the chunk named by `by` (`<loadId>.<chunk>`), the first to claim it, counts it back and one
 * `superseded` instead. Several chunks may find the same pair, in any order and attempt: the
 * claim makes it counted once (worker write/replacementClaims.ts).
 */
export interface ReplacementDoc {
  _id: string;
  loadId: string;
  /** the load's sequence number (claims of complete loads are swept by it) */
  seq: number;
  by: string;
  outcome: WriteOutcome | 'superseded';
  at: Date;
}
