/** A run of consecutive records, ready to become a chunk job. */
export interface Chunk {
  index: number;
  firstRow: number;
  /** records joined with "\n" */
  text: string;
  lines: number[];
}

const NEWLINE = Buffer.from('\n');

/** Groups records into chunks of `size`, numbering chunks and rows as it goes. */
export class ChunkBuilder {
  private records: Buffer[] = [];
  private lines: number[] = [];
  private ready: Chunk[] = [];
  /** chunks built so far */
  chunks = 0;
  /** records seen so far */
  rows = 0;
  lastLine = 0;

  constructor(
    private readonly size: number,
    private readonly encoding: 'utf8' | 'latin1' = 'utf8',
  ) {}

  add(record: Buffer, line: number): void {
    this.records.push(record);
    this.lines.push(line);
    this.rows++;
    this.lastLine = line;
    if (this.records.length >= this.size) this.seal();
  }

  /** Full chunks built since the last call. */
  takeFull(): Chunk[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }

  /** Full chunks plus the final partial one (at the end of the file). */
  takeAll(): Chunk[] {
    if (this.records.length > 0) this.seal();
    return this.takeFull();
  }

  private seal(): void {
    const parts: Buffer[] = [];
    for (const [i, r] of this.records.entries()) {
      if (i > 0) parts.push(NEWLINE);
      parts.push(r);
    }
    this.ready.push({
      index: this.chunks,
      firstRow: this.rows - this.records.length + 1,
      text: Buffer.concat(parts).toString(this.encoding),
      lines: this.lines,
    });
    this.chunks++;
    this.records = [];
    this.lines = [];
  }
}
