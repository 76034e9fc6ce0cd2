import { RecordSplitter } from '../csv/recordSplitter.js';
import { ChunkBuilder, type Chunk } from './chunkBuilder.js';
import { decoderFor, type FileEncoding } from './encoding.js';
import { openText, type Compression } from './textSource.js';

/** Read size: large enough that most chunks lie in one read buffer (one decode each). */
const READ_BYTES = 1 << 20;

/**
 * A CSV file as a stream of row chunks: `for await (const chunk of stream)`. The header record
 * is kept apart (`header`), not chunked. After the loop, `chunks`, `rows`, `lastLine` and
 * `unterminatedQuote` describe the whole file. Breaking out of the loop stops reading. A gzip
 * file (`compression`) is decompressed as it streams: chunks hold its text.
 */
export class ChunkStream implements AsyncIterable<Chunk> {
  private readonly builder: ChunkBuilder;
  private splitter?: RecordSplitter;
  /** the header record's text, once read */
  header?: string;

  constructor(
    private readonly path: string,
    chunkSize: number,
    private readonly encoding: FileEncoding = 'utf8',
    private readonly compression?: Compression,
  ) {
    this.builder = new ChunkBuilder(chunkSize, encoding);
  }

  get chunks(): number {
    return this.builder.chunks;
  }
  get rows(): number {
    return this.builder.rows;
  }
  get lastLine(): number {
    return this.builder.lastLine;
  }
  /** the file ended inside a quoted field (its last record may be malformed) */
  get unterminatedQuote(): boolean {
    return this.splitter?.unterminatedQuote ?? false;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Chunk> {
    let isHeader = true;
    this.splitter = new RecordSplitter((buf, start, end, line) => {
      if (!isHeader) return this.builder.add(buf, start, end, line);
      isHeader = false;
      this.header = decoderFor(this.encoding)(buf, start, end);
    });
    const file = openText(this.path, this.compression, READ_BYTES) as AsyncIterable<Buffer>;
    for await (const piece of file) {
      this.splitter.push(piece);
      yield* this.builder.takeFull();
    }
    this.splitter.end();
    yield* this.builder.takeAll();
  }
}
