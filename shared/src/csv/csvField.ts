/** One CSV field as RFC 4180 writes it: quoted (quotes doubled) when it holds a quote, comma or line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The field writer for a delimiter: quotes a field holding that delimiter, a quote, CR or LF
 * (a `;` file's `1234,56` stays bare; its `a;b` is quoted).
 */
export function csvFieldFor(delimiter: string): (value: string) => string {
  if (delimiter === ',') return csvField;
  return (value) => (value.includes(delimiter) || /["\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
}
