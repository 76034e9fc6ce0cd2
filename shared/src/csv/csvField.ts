/** One CSV field as RFC 4180 writes it: quoted (quotes doubled) when it holds a quote, comma or line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
