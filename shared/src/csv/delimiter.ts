/**
 * Field delimiters a file may use: the comma, and the semicolon and tab that spreadsheets
 * export where the comma is the decimal separator.
 */
export const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

const NAMES: Record<string, Delimiter> = {
  ',': ',',
  comma: ',',
  ';': ';',
  semicolon: ';',
  tab: '\t',
  '\\t': '\t',
  '\t': '\t',
};

export function isDelimiter(v: unknown): v is Delimiter {
  return (DELIMITERS as readonly unknown[]).includes(v);
}

/** A `--delimiter` value: `,` `;` `tab` or `\t` (the two characters, or a real tab). */
export function parseDelimiter(value: string): Delimiter {
  const found = NAMES[value.toLowerCase()];
  if (found) return found;
  const pipe = value === '|' ? ': pipe-separated files are not read' : '';
  throw new Error(`unsupported delimiter "${value}"${pipe} (delimiters: , ; tab)`);
}

/** How messages and the report name a delimiter. */
export function delimiterName(d: Delimiter): string {
  return d === '\t' ? 'tab' : d;
}
