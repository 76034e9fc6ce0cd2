import { countLf } from '../csv/recordSplitter.js';
import { decoderFor, type Decode, type FileEncoding } from './encoding.js';

/** A run of consecutive records, ready to become a chunk job. */
export interface Chunk {
  index: number;
  firstRow: number;
  /** physical line where the first record starts */
  firstLine: number;
  /** records in the chunk */
  rows: number;
  /**
   * The file's own bytes from the first record's start to the last record's end, so the
   * separators, CRs and blank lines in between are kept and a worker re-splitting the text
   * recovers every record and its line number from `firstLine`.
   */
  text: string;
}

interface Segment {
  buf: Buffer;
  start: number;
  end: number;
  /** line where the segment's first record starts */
  line: number;
}

/**
 * Groups records into chunks of `size`, numbering chunks and rows as it goes. Records that lie
 * in one read buffer are kept as one byte range, so sealing a chunk is usually one decode of
 * one range: no per-record copy.
 */
export class ChunkBuilder {
  private segments: Segment[] = [];
  private count = 0;
  private firstLine = 0;
  private ready: Chunk[] = [];
  /** chunks built so far */
  chunks = 0;
  /** records seen so far */
  rows = 0;
  lastLine = 0;

  private readonly decode: Decode;

  constructor(
    private readonly size: number,
    encoding: FileEncoding = 'utf8',
  ) {
    this.decode = decoderFor(encoding);
  }

  /** Adds the record buf[start..end) starting on `line` (see RecordSink). */
  add(buf: Buffer, start: number, end: number, line: number): void {
    if (this.count === 0) this.firstLine = line;
    const last = this.segments[this.segments.length - 1];
    if (last && last.buf === buf && start >= last.end) last.end = end;
    else this.segments.push({ buf, start, end, line });
    this.count++;
    this.rows++;
    this.lastLine = line;
    if (this.count >= this.size) this.seal();
  }

  /** Full chunks built since the last call. */
  takeFull(): Chunk[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }

  /** Full chunks plus the final partial one (at the end of the file). */
  takeAll(): Chunk[] {
    if (this.count > 0) this.seal();
    return this.takeFull();
  }

  private seal(): void {
    const [first, ...rest] = this.segments;
    let text: string;
    if (rest.length === 0) text = this.decode(first!.buf, first!.start, first!.end);
    else {
      // Ranges from different read buffers: join them with as many line breaks as the file
      // had between them, so that line numbers stay exact.
      const parts: Buffer[] = [];
      let endLine = 0;
      for (const s of this.segments) {
        const bytes = s.buf.subarray(s.start, s.end);
        if (parts.length > 0) parts.push(Buffer.from('\n'.repeat(Math.max(1, s.line - endLine))));
        parts.push(bytes);
        endLine = s.line + countLf(s.buf, s.start, s.end);
      }
      text = this.decode(Buffer.concat(parts));
    }
    this.ready.push({
      index: this.chunks,
      firstRow: this.rows - this.count + 1,
      firstLine: this.firstLine,
      rows: this.count,
      text,
    });
    this.chunks++;
    this.segments = [];
    this.count = 0;
  }
}
