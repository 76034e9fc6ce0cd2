import { type Store, isDuplicateKey } from '@hcingest/shared';

/** A chunk of a load, with the range of its rows' versions. */
export interface MarkedChunk {
  loadId: string;
  chunk: number;
  seq: number;
  /** lowest and highest version among the chunk's valid rows */
  from: number;
  to: number;
}

/**
 * The chunk's marks in `write_marks`, the guard that lets an unchanged row skip its write.
 *
 * A row whose admission is stored exactly as its load found it (same values, from an earlier
 * load) writes nothing. The one thing such a write would have done is to stop a row with a lower
 * version, processed later, from winning: an earlier row of the same load with other values (in
 * an earlier chunk), or a row of an earlier load still running. Only a row that moves an
 * admission from an earlier load's state to its own can do that. So both sides announce
 * themselves first, then look for the other, each with one command per chunk:
 *
 * - a chunk records the admissions it leaves unchanged and those it is about to change
 *   (`record`), in one document;
 * - then the changing rows look for a later chunk's unchanged mark on their admission
 *   (`laterUnchanged`): a row that finds one does not write (it lost to a newer version);
 * - and the unchanged rows look for an earlier chunk's intent to change theirs
 *   (`earlierChanging`): a row that finds one writes after all, with its version, which wins.
 *
 * Each side writes before it reads, so of two racing rows at least one sees the other (the
 * store acknowledges a write before the next command is sent): either the earlier row does not
 * write, or the later one writes over it. Marks are only ever added (a retried chunk adds to its
 * document), so a mark seen once stays seen.
 */
export class WriteMarks {
  private readonly id: string;

  constructor(
    private readonly store: Store,
    private readonly chunk: MarkedChunk,
  ) {
    this.id = `${chunk.loadId}.${chunk.chunk}`;
  }

  /** Records the chunk's unchanged admissions and those it is about to change. */
  async record(unchanged: string[], changing: string[]): Promise<void> {
    if (unchanged.length === 0 && changing.length === 0) return;
    const { loadId, seq, from, to } = this.chunk;
    try {
      await this.store.writeMarks.insertOne({
        _id: this.id,
        loadId,
        seq,
        from,
        to,
        unchanged,
        changing,
        at: new Date(),
      });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // else an earlier attempt's document: add to it
      await this.store.writeMarks.updateOne(
        { _id: this.id },
        { $addToSet: { unchanged: { $each: unchanged }, changing: { $each: changing } } },
      );
    }
  }

  /**
   * Of `ids` (admissions this chunk is about to change), those a later chunk (of this load or of
   * a later one) left unchanged, with the load of that mark.
   */
  async laterUnchanged(ids: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (ids.length === 0) return found;
    const marks = this.store.writeMarks.find(
      { unchanged: { $in: ids }, from: { $gt: this.chunk.to }, _id: { $ne: this.id } },
      { projection: { loadId: 1, unchanged: 1 } },
    );
    const wanted = new Set(ids);
    for await (const m of marks) for (const id of m.unchanged) if (wanted.has(id)) found.set(id, m.loadId);
    return found;
  }

  /** Of `ids` (admissions this chunk left unchanged), those an earlier chunk is changing. */
  async earlierChanging(ids: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    if (ids.length === 0) return found;
    const marks = this.store.writeMarks.find(
      { changing: { $in: ids }, to: { $lt: this.chunk.from }, _id: { $ne: this.id } },
      { projection: { changing: 1 } },
    );
    const wanted = new Set(ids);
    for await (const m of marks) for (const id of m.changing) if (wanted.has(id)) found.add(id);
    return found;
  }
}
