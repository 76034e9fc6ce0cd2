import iconv from 'iconv-lite';

/**
 * Encodings a file may be read in. UTF-8 is checked strictly; Windows-1252 is Excel's usual
 * CSV export on Western systems; Latin-1 (ISO-8859-1) agrees with it except for bytes
 * 0x80-0x9F, which Latin-1 makes invisible control characters and Windows-1252 makes
 * printable ones (’ – € œ …).
 */
export const FILE_ENCODINGS = ['utf8', 'windows-1252', 'latin1'] as const;
export type FileEncoding = (typeof FILE_ENCODINGS)[number];

const ALIASES: Record<string, FileEncoding> = {
  utf8: 'utf8',
  windows1252: 'windows-1252',
  cp1252: 'windows-1252',
  win1252: 'windows-1252',
  latin1: 'latin1',
  iso88591: 'latin1',
};

export function parseEncoding(value: string): FileEncoding {
  const found = ALIASES[value.toLowerCase().replace(/[-_\s]/g, '')];
  if (!found) throw new Error(`unsupported encoding "${value}" (encodings: ${FILE_ENCODINGS.join(', ')})`);
  return found;
}

/** Decodes a byte range of the file; single-byte encodings decode any range on its own. */
export type Decode = (buf: Buffer, start?: number, end?: number) => string;

export function decoderFor(encoding: FileEncoding): Decode {
  if (encoding !== 'windows-1252') return (buf, start, end) => buf.toString(encoding, start, end);
  // iconv-lite, not TextDecoder: Node 20's TextDecoder('windows-1252') decodes as Latin-1.
  return (buf, start = 0, end = buf.length) => iconv.decode(buf.subarray(start, end), 'windows-1252');
}

/** Encodes text in an encoding; undefined when the text holds a character the file could not carry back. */
export type Encode = (text: string) => Buffer | undefined;

/**
 * The encoder matching decoderFor: a text it encodes reads back the same, in the same encoding,
 * with enqueue's checks. A character outside the encoding (or one enqueue refuses to read in it:
 * the control characters U+0080-U+009F) is not replaced: the text is not encodable.
 */
export function encoderFor(encoding: FileEncoding): Encode {
  if (encoding === 'utf8') return (text) => Buffer.from(text, 'utf8');
  const decode = decoderFor(encoding);
  return (text) => {
    const bytes = encoding === 'latin1' ? Buffer.from(text, 'latin1') : iconv.encode(text, 'windows-1252');
    return decode(bytes) === text && firstControlByte(bytes, encoding) === -1 ? bytes : undefined;
  };
}

/** The five bytes Windows-1252 leaves undefined (its decoders turn them into control characters). */
const CP1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/**
 * Offset of the first byte the encoding would turn into an invisible control character, or -1:
 * bytes 0x80-0x9F in Latin-1, the five undefined bytes in Windows-1252. Such a byte in a CSV
 * of names and hospitals means the file is in another encoding, and storing it would corrupt
 * the values (and the identity they feed).
 */
export function firstControlByte(buf: Uint8Array, encoding: FileEncoding): number {
  if (encoding === 'utf8') return -1;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]!;
    if (b < 0x80 || b > 0x9f) continue;
    if (encoding === 'latin1' || CP1252_UNDEFINED.has(b)) return i;
  }
  return -1;
}

const hex = (b: number) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;

/** How a byte reads in Windows-1252, for messages ("byte 0x92 (’ in Windows-1252)"). */
function asCp1252(b: number): string {
  return iconv.decode(Buffer.of(b), 'windows-1252');
}

/**
 * What to tell the user about a byte that is not valid UTF-8: the likely encoding, judged from
 * the byte itself (0x80-0x9F are printable only in Windows-1252; above 0x9F, Windows-1252 and
 * Latin-1 agree, and Windows-1252 is the common export).
 */
export function encodingHint(b: number): string {
  const options = `encodings: ${FILE_ENCODINGS.join(', ')}`;
  if (b >= 0x80 && b <= 0x9f && !CP1252_UNDEFINED.has(b)) {
    return `byte ${hex(b)} is "${asCp1252(b)}" in Windows-1252, Excel's usual CSV export: pass --encoding windows-1252 (${options})`;
  }
  if (b >= 0xa0) {
    return `byte ${hex(b)} is "${asCp1252(b)}" in Windows-1252 and Latin-1: pass --encoding windows-1252 (${options})`;
  }
  return `save the file as UTF-8 (${options})`;
}

/** Refusal of a control byte found by firstControlByte, naming the encoding that fits. */
export function controlByteMessage(b: number, encoding: FileEncoding): string {
  if (encoding === 'latin1' && !CP1252_UNDEFINED.has(b)) {
    return `byte ${hex(b)} is an invisible control character in Latin-1 but "${asCp1252(b)}" in Windows-1252: pass --encoding windows-1252`;
  }
  return `byte ${hex(b)} is not a character in ${encoding === 'latin1' ? 'Latin-1' : 'Windows-1252'}: check the file's encoding`;
}

/**
 * Formats recognised from a file's first bytes that are not CSV text at all, so the refusal
 * names them instead of pointing at an encoding.
 */
export function sniffNotText(head: Uint8Array): string | undefined {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0x1f, 0x8b)) return 'is gzip-compressed: decompress it first (gunzip)';
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'is a ZIP archive (an .xlsx workbook?): export the sheet as CSV';
  if (starts(0xff, 0xfe) || starts(0xfe, 0xff)) return 'is UTF-16 text: save it as UTF-8 (or Windows-1252)';
  if (starts(0xd0, 0xcf, 0x11, 0xe0)) return 'is an old Office document (.xls?): export the sheet as CSV';
  return undefined;
}
