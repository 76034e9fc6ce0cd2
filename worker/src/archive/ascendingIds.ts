import type { FindCursor } from 'mongodb';

/**
 * Ids read in ascending order from a cursor, asked about in ascending order: one side of a merge
 * join, so that whether a collection holds each id of another is known in one pass over each,
 * holding one cursor batch of each at a time. Ids must be ASCII (admission ids are), where
 * MongoDB's order and JavaScript's agree; any id out of order is an error, never a wrong answer.
 */
export class AscendingIds {
  private current: string | undefined;
  private exhausted = false;
  private lastAsked: string | undefined;

  constructor(
    private readonly cursor: FindCursor<{ _id: string }>,
    /** the id a document stands for (its `_id` without a prefix, say) */
    private readonly idOf: (doc: { _id: string }) => string = (d) => d._id,
  ) {}

  /** Whether the cursor holds `id`: each call names an id no lower than the previous one. */
  async has(id: string): Promise<boolean> {
    if (this.lastAsked !== undefined && id < this.lastAsked) throw new Error('ids asked out of ascending order');
    this.lastAsked = id;
    while (!this.exhausted && (this.current === undefined || this.current < id)) await this.advance();
    return this.current === id;
  }

  close(): Promise<void> {
    return this.cursor.close();
  }

  private async advance(): Promise<void> {
    const doc = await this.cursor.next();
    if (doc === null) {
      this.exhausted = true;
      return;
    }
    const next = this.idOf(doc);
    if (this.current !== undefined && next <= this.current)
      throw new Error('the store returned ids out of ascending order');
    this.current = next;
  }
}
