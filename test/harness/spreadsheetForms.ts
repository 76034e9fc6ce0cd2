import iconv from 'iconv-lite';
import { parseEach, splitRecords } from '@hcingest/shared';

const NBSP = '\u00a0';
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const POINT_AMOUNT = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/** A point amount as a French spreadsheet writes it: a decimal comma, thousands grouped with a no-break space when asked. */
function commaAmount(text: string, grouped: boolean): string {
  const m = POINT_AMOUNT.exec(text);
  if (!m) return text; // a bad amount stays as bad
  const [, sign = '', whole = '', fraction] = m;
  const digits = grouped ? whole.replace(/\B(?=(\d{3})+$)/g, NBSP) : whole;
  return `${sign}${digits}${fraction === undefined ? '' : `,${fraction}`}`;
}

/** A field quoted as a spreadsheet quotes it for `;` separators. */
const quoted = (v: string) => (/[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/**
 * A default-form CSV (`,`, decimal points, YYYY-MM-DD, UTF-8) re-written as a spreadsheet in a
 * French locale saves it: `;` separators (fields quoted as needed), decimal commas in Billing
 * Amount (every other amount from 1,000 up grouped by thousands with a no-break space), dates
 * DD/MM/YYYY, CRLF line endings, Windows-1252. Values that are not a valid amount or ISO date
 * stay as written, so a bad value stays bad. Blank lines are dropped.
 */
export async function frenchSpreadsheet(csv: string): Promise<Buffer> {
  const [header = [], ...rows] = await parseEach(splitRecords(csv).map((r) => r.text));
  const amount = header.indexOf('Billing Amount');
  const dates = [header.indexOf('Date of Admission'), header.indexOf('Discharge Date')];
  let large = 0;
  const french = rows.map((fields) =>
    fields.map((v, i) => {
      if (i === amount) return commaAmount(v, Math.abs(Number(v)) >= 1000 && large++ % 2 === 0);
      if (dates.includes(i)) return v.replace(ISO_DATE, '$3/$2/$1');
      return v;
    }),
  );
  const text = [header, ...french].map((fields) => fields.map(quoted).join(';')).join('\r\n') + '\r\n';
  return iconv.encode(text, 'windows-1252');
}
