import { DELIMITERS, delimiterName, type Delimiter } from './delimiter.js';

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
 * Counts, per record and outside quotes, the candidate delimiters of a file as its bytes go by
 * (they are ASCII, so this holds for every supported encoding). A record that does not split
 * into the header's number of fields with the header's delimiter but does with another one was
 * written with that other delimiter: a file mixing delimiters is refused before anything is
 * written, rather than having such rows rejected one by one.
 */
export class DelimiterCensus {
  private inQuote = false;
  private counts = [0, 0, 0];
  private bytesInRecord = 0;
  private line = 1;
  private recordLine = 1;
  private header: number[] | undefined;
  /** per header delimiter: for each other delimiter, the records that fit it */
  private readonly found = new Map<string, OtherDelimiter>();

  push(buf: Buffer): void {
    // A tight loop over locals and a byte-class table: this runs over every byte of every file.
    let { inQuote, bytesInRecord, line } = this;
    let [c0, c1, c2] = this.counts as [number, number, number];
    for (let i = 0; i < buf.length; i++) {
      const k = CLASS[buf[i]!]!;
      if (k === 0) {
        bytesInRecord++;
        continue;
      }
      if (k === K_QUOTE) {
        inQuote = !inQuote;
        bytesInRecord++;
      } else if (k === K_LF) {
        line++;
        if (inQuote) continue;
        this.endRecord(c0, c1, c2, bytesInRecord, line);
        c0 = c1 = c2 = 0;
        bytesInRecord = 0;
      } else if (k === K_CR) {
        // not content: a CRLF line's CR
      } else {
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
    this.counts = [c0, c1, c2];
  }

  end(): void {
    const [c0, c1, c2] = this.counts as [number, number, number];
    if (this.bytesInRecord > 0) this.endRecord(c0, c1, c2, this.bytesInRecord, this.line);
    this.counts = [0, 0, 0];
    this.bytesInRecord = 0;
  }

  /** Records written with another delimiter than `d`, the header's (none: undefined). */
  otherThan(d: Delimiter): OtherDelimiter | undefined {
    return this.found.get(d);
  }

  /** A record ended (its counts, content bytes, and the line the next record starts on). */
  private endRecord(c0: number, c1: number, c2: number, bytes: number, nextLine: number): void {
    const line = this.recordLine;
    this.recordLine = nextLine;
    if (bytes === 0) return; // a blank line is no record
    const h = this.header;
    if (!h) {
      this.header = [c0, c1, c2];
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
