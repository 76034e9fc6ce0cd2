import {
  ChunkStream,
  cleanText,
  COLUMNS,
  DATE_FORMATS,
  DEFAULT_FORMATS,
  fitsHeader,
  InputError,
  parseAmount,
  parseChunkRows,
  parseDate,
  type Column,
  type Compression,
  type DateFormat,
  type Delimiter,
  type FileEncoding,
  type HeaderMap,
  type RowFormats,
} from '@hcingest/shared';

/** Data rows sampled: the first ones of the file, the rows of the first chunk at the default chunk size. */
export const SAMPLE_ROWS = 1000;
/** Fewer non-empty values of a kind than this in the sample: too few to judge, nothing is said. */
export const MIN_SAMPLE_VALUES = 5;

/** The non-empty dates (both date columns) and amounts of the sampled rows, cleaned as a load cleans them. */
export interface FormatSample {
  rows: number;
  dates: string[];
  amounts: string[];
}

const DATE_COLUMNS: Column[] = ['Date of Admission', 'Discharge Date'];

/**
 * The file's first SAMPLE_ROWS data rows (those with the header's field count), their dates
 * and amounts. Reads no further than the first chunk of that size.
 */
export async function sampleFormats(
  path: string,
  encoding: FileEncoding,
  header: HeaderMap,
  form: { delimiter: Delimiter; compression?: Compression },
): Promise<FormatSample> {
  const sample: FormatSample = { rows: 0, dates: [], amounts: [] };
  const valueOf = (fields: string[], column: Column) =>
    cleanText(fields[header.indexes[COLUMNS.indexOf(column)]!] ?? '');
  for await (const chunk of new ChunkStream(path, SAMPLE_ROWS, encoding, form.compression)) {
    for (const { fields } of await parseChunkRows({ ...chunk, delimiter: form.delimiter })) {
      sample.rows++;
      if (!fitsHeader(fields, header)) continue;
      for (const column of DATE_COLUMNS) {
        const date = valueOf(fields, column);
        if (date !== '') sample.dates.push(date);
      }
      const amount = valueOf(fields, 'Billing Amount');
      if (amount !== '') sample.amounts.push(amount);
    }
    break;
  }
  return sample;
}

/** More than half of the values, and at least MIN_SAMPLE_VALUES: enough to say how the file is written. */
const enough = (n: number, of: number) => n >= MIN_SAMPLE_VALUES && n > of / 2;

/**
 * What to tell about the dates: undefined unless none reads as YYYY-MM-DD and more than half
 * read in another format (the rest, bad dates that read in none, are rejects either way). When
 * two formats read as many (day-first and month-first, every day 12 or less), it is ambiguous.
 */
function datesHint(dates: string[]): string | undefined {
  if (dates.some((d) => parseDate(d) !== undefined)) return undefined;
  const read = DATE_FORMATS.filter((f) => f !== DEFAULT_FORMATS.dateFormat).map((format) => ({
    format,
    count: dates.filter((d) => parseDate(d, format)).length,
  }));
  const best = Math.max(...read.map((r) => r.count));
  if (!enough(best, dates.length)) return undefined;
  const fits = read.filter((r) => r.count === best).map((r) => r.format);
  const none = `none of its ${dates.length} dates is ${DEFAULT_FORMATS.dateFormat}`;
  if (fits.length === 1) return `${none}, but ${best} read as ${fits[0]!}: pass --date-format ${fits[0]!}`;
  const options = fits.map((f: DateFormat) => `--date-format ${f}`);
  return (
    `${none}, and ${best} read as ${fits.join(' and as ')} alike: the dates are ambiguous and are not guessed; ` +
    `pass ${options.join(' or ')}, as the file was written`
  );
}

/**
 * What to tell about the amounts: undefined unless none reads only with a decimal point and more
 * than half read only with a decimal comma (whole amounts read alike either way).
 */
function amountsHint(amounts: string[]): string | undefined {
  const point = (a: string) => parseAmount(a) !== undefined;
  const comma = (a: string) => parseAmount(a, true) !== undefined;
  if (amounts.some((a) => point(a) && !comma(a))) return undefined;
  const commaOnly = amounts.filter((a) => comma(a) && !point(a)).length;
  if (!enough(commaOnly, amounts.length)) return undefined;
  return (
    `${commaOnly} of its ${amounts.length} billing amounts read with a decimal comma and none with a decimal point ` +
    'only: pass --decimal-comma'
  );
}

/**
 * Why the file is refused, or undefined: with a format not given on the command line (`given`
 * lacks it), a sample whose values none read in the default format only, and more than half
 * read in another one (see datesHint, amountsHint). Nothing is guessed: the user names the
 * format, and the hint names the option(s) that read them.
 */
export function formatsHint(sample: FormatSample, given: Partial<RowFormats>): string | undefined {
  const hints = [
    ...(given.dateFormat === undefined ? [datesHint(sample.dates)] : []),
    ...(given.decimalComma === undefined ? [amountsHint(sample.amounts)] : []),
  ].filter((h): h is string => h !== undefined);
  return hints.length === 0 ? undefined : hints.join('; ');
}

/**
 * Refuses (InputError, before anything is written) a file whose first rows' dates or amounts
 * are all written in a format other than the one it would be read with; see formatsHint.
 */
export async function checkFormats(
  path: string,
  encoding: FileEncoding,
  header: { map: HeaderMap; delimiter: Delimiter },
  opts: { compression?: Compression; given: Partial<RowFormats> },
): Promise<void> {
  if (opts.given.dateFormat !== undefined && opts.given.decimalComma !== undefined) return;
  const sample = await sampleFormats(path, encoding, header.map, {
    delimiter: header.delimiter,
    compression: opts.compression,
  });
  const hint = formatsHint(sample, opts.given);
  if (hint !== undefined) {
    throw new InputError(`${path}: in its first ${sample.rows.toLocaleString('en-US')} rows, ${hint}`);
  }
}
