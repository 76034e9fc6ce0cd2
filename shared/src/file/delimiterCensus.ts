import { DELIMITERS, delimiterName, type Delimiter } from '../csv/delimiter.js';

const QUOTE = 0x22;
const LF = 0x0a;
const K_QUOTE = 1;
const K_LF = 2;
const K_CR = 3;
const K_D0 = 4;
const K_D1 = 5;
/** Byte classes: 0 plain, then quote, line feed, carriage return, and each delimiter. */
const CLASS = new Uint8Array(256);
CLASS[0x22] = K_QUOTE;
CLASS[0x0a] = K_LF;
CLASS[0x0d] = K_CR;
DELIMITERS.forEach((d, i) => (CLASS[d.charCodeAt(0)] = K_D0 + i));

/** A record written with another delimiter than the header's: the first one, and how many. */
export interface OtherDelimiter {
  delimiter: Delimiter;
  firstLine: number;
  rows: number;
}

/**
 * Where one byte next occurs in the buffer being read, at or after a position: found with the
 * native `indexOf` and remembered, so that each occurrence is searched for once. Positions
 * asked must not go back, until `reset` (a new buffer).
 */
class ByteCursor {
  /** the occurrence found last (-1: none left in the buffer; -2: not searched yet) */
  private next = -2;

  constructor(private readonly byte: number) {}

  reset(): void {
    this.next = -2;
  }

  from(buf: Buffer, pos: number): number {
    if (this.next !== -1 && this.next < pos) this.next = buf.indexOf(this.byte, pos);
    return this.next;
  }
}

/** True when one of the cursors' bytes occurs in [start, end). */
function anyBetween(cursors: ByteCursor[], buf: Buffer, start: number, end: number): boolean {
  for (const c of cursors) {
    const at = c.from(buf, start);
    if (at !== -1 && at < end) return true;
  }
  return false;
}

/**
 * Counts, per record and outside quotes, the candidate delimiters of a file as its bytes go by
 * (they are ASCII, so this holds for every supported encoding). A record that does not split
 * into the header's number of fields with the header's delimiter but does with another one was
 * written with that other delimiter: a file mixing delimiters is refused before anything is
 * written, rather than having such rows rejected one by one.
 *
 * Only a record holding, outside quotes, a delimiter the header lacks can fit another one (in
 * endRecord, the other delimiter must be one the header lacks, and either the record holds it
 * as many times as the header holds its own, or the header lacks its own too and the record
 * holds that one). So once the header is known, records holding none are passed over with
 * native searches for quotes and line feeds (this runs over every byte of every file); only the
 * others, and a record cut by the end of a buffer, are counted byte by byte.
 */
export class DelimiterCensus {
  private inQuote = false;
  /** the record under way: its delimiters outside quotes, and its bytes that are not CR or LF */
  private c0 = 0;
  private c1 = 0;
  private c2 = 0;
  private bytesInRecord = 0;
  private line = 1;
  private recordLine = 1;
  private header: number[] | undefined;
  /** per header delimiter: for each other delimiter, the records that fit it */
  private readonly found = new Map<string, OtherDelimiter>();
  private readonly lf = new ByteCursor(LF);
  private readonly quote = new ByteCursor(QUOTE);
  /** the delimiters the header does not hold, once it is read */
  private absent: ByteCursor[] = [];

  push(buf: Buffer): void {
    for (const c of [this.lf, this.quote, ...this.absent]) c.reset();
    let pos = 0;
    while (pos < buf.length) {
      if (this.header && !this.inQuote && this.bytesInRecord === 0) pos = this.passPlainRecords(buf, pos);
      if (pos < buf.length) pos = this.countRecord(buf, pos);
    }
  }

  end(): void {
    if (this.bytesInRecord > 0) this.endRecord(this.c0, this.c1, this.c2, this.bytesInRecord, this.line);
    this.c0 = this.c1 = this.c2 = this.bytesInRecord = 0;
  }

  /** Records written with another delimiter than `d`, the header's (none: undefined). */
  otherThan(d: Delimiter): OtherDelimiter | undefined {
    return this.found.get(d);
  }

  /**
   * Counts byte by byte from `from` to the end of the record under way, or of buf; before the
   * header is known, on to the end of the header. Returns where it stopped.
   */
  private countRecord(buf: Buffer, from: number): number {
    // A tight loop over locals and a byte-class table.
    let { inQuote, bytesInRecord, line, c0, c1, c2 } = this;
    let i = from;
    while (i < buf.length) {
      const k = CLASS[buf[i++]!]!;
      if (k === 0) bytesInRecord++;
      else if (k === K_QUOTE) {
        inQuote = !inQuote;
        bytesInRecord++;
      } else if (k === K_LF) {
        line++;
        if (inQuote) continue;
        this.endRecord(c0, c1, c2, bytesInRecord, line);
        c0 = c1 = c2 = bytesInRecord = 0;
        if (this.header) break;
      } else if (k !== K_CR) {
        // a delimiter (a CR is not content: a CRLF line's CR)
        bytesInRecord++;
        if (inQuote) continue;
        if (k === K_D0) c0++;
        else if (k === K_D1) c1++;
        else c2++;
      }
    }
    this.inQuote = inQuote;
    this.bytesInRecord = bytesInRecord;
    this.line = line;
    this.c0 = c0;
    this.c1 = c1;
    this.c2 = c2;
    return i;
  }

  /**
   * From the start of a record, passes over the whole records of the buffer that hold none of
   * the delimiters the header lacks outside quotes, following quotes and line feeds only.
   * Returns where the first record to count byte by byte starts: one holding such a delimiter,
   * or running past the buffer.
   */
  private passPlainRecords(buf: Buffer, from: number): number {
    let start = from;
    let p = from;
    let line = this.line;
    let inQuote = false;
    for (;;) {
      let lf = this.lf.from(buf, p);
      const q = this.quote.from(buf, p);
      if (inQuote) {
        if (q === -1) break;
        for (; lf !== -1 && lf < q; lf = this.lf.from(buf, lf + 1)) line++; // line feeds inside quotes
        inQuote = false;
        p = q + 1;
        continue;
      }
      const opens = q !== -1 && (lf === -1 || q < lf);
      const spanEnd = opens ? q : lf;
      if (spanEnd === -1 || anyBetween(this.absent, buf, p, spanEnd)) break;
      if (opens) inQuote = true;
      else {
        start = lf + 1;
        this.line = this.recordLine = ++line;
      }
      p = spanEnd + 1;
    }
    return start;
  }

  /** A record ended (its counts, content bytes, and the line the next record starts on). */
  private endRecord(c0: number, c1: number, c2: number, bytes: number, nextLine: number): void {
    const line = this.recordLine;
    this.recordLine = nextLine;
    if (bytes === 0) return; // a blank line is no record
    const h = this.header;
    if (!h) {
      this.header = [c0, c1, c2];
      this.absent = DELIMITERS.flatMap((d, k) => (this.header![k] === 0 ? [new ByteCursor(d.charCodeAt(0))] : []));
      return;
    }
    // The usual row: as many of each delimiter as the header (outside quotes).
    if (c0 === h[0] && c1 === h[1] && c2 === h[2]) return;
    const counts = [c0, c1, c2];
    // For each delimiter the header may use: does this record fit it, or exactly another one?
    DELIMITERS.forEach((d, k) => {
      const fields = this.header![k]! + 1;
      if (counts[k]! + 1 === fields) return;
      const other = DELIMITERS.findIndex((_, j) => j !== k && counts[j]! + 1 === fields && this.header![j] === 0);
      if (other === -1) return;
      const seen = this.found.get(d);
      if (seen) seen.rows++;
      else this.found.set(d, { delimiter: DELIMITERS[other]!, firstLine: line, rows: 1 });
    });
  }
}

/** The refusal of a file mixing delimiters. */
export function mixedDelimiterMessage(path: string, header: Delimiter, other: OtherDelimiter): string {
  return (
    `${path}: the header is ${delimiterName(header)}-separated but ${other.rows} row(s) are ` +
    `${delimiterName(other.delimiter)}-separated (first at line ${other.firstLine}): a file must use one delimiter`
  );
}
