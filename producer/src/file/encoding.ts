/** Encodings a file may be read in: UTF-8 (checked strictly) or Latin-1 (every byte is a character). */
export const FILE_ENCODINGS = ['utf8', 'latin1'] as const;
export type FileEncoding = (typeof FILE_ENCODINGS)[number];

export function parseEncoding(value: string): FileEncoding {
  const v = value.toLowerCase().replace(/[-_]/g, '');
  if (v === 'utf8') return 'utf8';
  if (v === 'latin1' || v === 'iso88591') return 'latin1';
  throw new Error(`unsupported encoding "${value}" (use utf8 or latin1)`);
}
