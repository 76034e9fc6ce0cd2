/** A rejected row: where it was, what it held, and every reason it was refused. */
export interface RejectDoc {
  /** `${loadId}:${row}`, so a retried chunk rewrites the same rejects */
  _id: string;
  loadId: string;
  row: number;
  line: number;
  /** the row's fields as read (header order) */
  values: string[];
  reasons: string[];
  at: Date;
}
