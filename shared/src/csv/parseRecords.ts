import csvParser from 'csv-parser';
import type { Delimiter } from './delimiter.js';

/**
 * Parses CSV text into arrays of fields with csv-parser (RFC 4180 quoting). Field order is
 * kept; a record's length is its field count, so short or long rows can be rejected.
 */
export function parseRecords(text: string, separator: Delimiter = ','): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const rows: string[][] = [];
    const parser = csvParser({ headers: false, strict: false, separator });
    parser.on('data', (row: Record<string, string>) => {
      const fields: string[] = [];
      for (let i = 0; ; i++) {
        const value = row[i];
        if (value === undefined) break;
        fields.push(value);
      }
      rows.push(fields);
    });
    parser.on('error', reject);
    parser.on('end', () => resolve(rows));
    parser.end(text);
  });
}

/** Parses records that must map one-to-one to `records`, falling back to one parse each. */
export async function parseEach(records: readonly string[], separator: Delimiter = ','): Promise<string[][]> {
  const all = await parseRecords(records.join('\n'), separator);
  if (all.length === records.length) return all;
  // The batch disagreed on boundaries (e.g. an unbalanced quote): parse each record alone.
  return Promise.all(records.map(async (r) => (await parseRecords(r, separator))[0] ?? ['']));
}
