/**
 * `write_marks`: one document per chunk of a load (its `_id` is the chunk's, `<loadId>.<chunk>`),
 * naming the admissions the chunk found as they were before its load and so did not write
 * (`unchanged`), and those it is about to change from the state an earlier load left
 * (`changing`). It is how a reload writes nothing for an unchanged row and still lets no earlier
 * row win over it (worker write/writeMarks.ts); kept until every load up to its own is complete.
 */
export interface WriteMarkDoc {
  _id: string;
  loadId: string;
  /** the load's sequence number (marks of loads that can no longer race are swept by it) */
  seq: number;
  /** the lowest and highest row versions of the chunk's valid rows */
  from: number;
  to: number;
  unchanged: string[];
  /** the unchanged rows with their versions (a later row of the load claims them: replacementDoc.ts) */
  unchangedRows: { id: string; version: number }[];
  changing: string[];
  at: Date;
}
