/**
 * Splits CSV bytes into records without parsing fields: a quote-aware scan for record
 * boundaries (RFC 4180: quoted fields may hold newlines), CRLF or LF endings, blank lines
 * skipped. This is all the producer does per row, so it stays fast; the workers parse fields.
 * Scanning bytes is safe for UTF-8: '"', CR and LF never occur inside a multi-byte sequence.
 */

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

/**
 * Called once per non-blank record with where its bytes are (buf[start..end), terminator
 * excluded; valid only during the call unless buf is kept) and its starting line. Offsets, not
 * a slice, so that the producer allocates nothing per record.
 */
export type RecordSink = (buf: Buffer, start: number, end: number, line: number) => void;

export class RecordSplitter {
  private carry: Buffer = Buffer.alloc(0);
  private inQuotes = false;
  /** scan position inside carry+chunk where the current record's scanning resumes */
  private resume = 0;
  /** physical line number (1-based) of the next record's first line */
  private line = 1;
  /** lines consumed by quoted newlines inside the current, unfinished record */
  private pendingLines = 0;

  constructor(private readonly sink: RecordSink) {}

  push(chunk: Buffer): void {
    const buf = this.carry.length === 0 ? chunk : Buffer.concat([this.carry, chunk]);
    let start = 0;
    let pos = this.resume;
    for (;;) {
      if (this.inQuotes) {
        const q = buf.indexOf(QUOTE, pos);
        const scanEnd = q === -1 ? buf.length : q;
        this.pendingLines += countLf(buf, pos, scanEnd);
        if (q === -1) {
          pos = buf.length;
          break;
        }
        this.inQuotes = false;
        pos = q + 1;
        continue;
      }
      const lf = buf.indexOf(LF, pos);
      const q = buf.indexOf(QUOTE, pos);
      if (q !== -1 && (lf === -1 || q < lf)) {
        this.inQuotes = true;
        pos = q + 1;
        continue;
      }
      if (lf === -1) {
        pos = buf.length;
        break;
      }
      this.emit(buf, start, lf);
      this.line += 1 + this.pendingLines;
      this.pendingLines = 0;
      start = lf + 1;
      pos = start;
    }
    // Keep the unfinished record; resume scanning where this pass stopped.
    this.carry = start >= buf.length ? Buffer.alloc(0) : buf.subarray(start);
    this.resume = pos - start;
  }

  /** Flushes the last record when the input does not end with a line break. */
  end(): void {
    if (this.carry.length > 0) this.emit(this.carry, 0, this.carry.length);
    this.carry = Buffer.alloc(0);
    this.resume = 0;
  }

  /** True when the input ended inside a quoted field (an unbalanced quote). */
  get unterminatedQuote(): boolean {
    return this.inQuotes;
  }

  private emit(buf: Buffer, start: number, end: number): void {
    let stop = end;
    if (stop > start && buf[stop - 1] === CR) stop -= 1;
    if (isBlank(buf, start, stop)) return;
    this.sink(buf, start, stop, this.line);
  }
}

/** Line feeds in buf[from..to). */
export function countLf(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(LF, from); i !== -1 && i < to; i = buf.indexOf(LF, i + 1)) n++;
  return n;
}

function isBlank(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = buf[i];
    if (b !== SPACE && b !== TAB && b !== CR) return false;
  }
  return true;
}

/** Splits a whole in-memory text into records (used by workers and tests). */
export function splitRecords(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  const splitter = new RecordSplitter((buf, start, end, line) =>
    out.push({ text: buf.toString('utf8', start, end), line }),
  );
  splitter.push(Buffer.from(text, 'utf8'));
  splitter.end();
  return out;
}
