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

/** What to tell about the dates: undefined unless every one fails as YYYY-MM-DD and reads in another format. */
function datesHint(dates: string[]): string | undefined {
  if (dates.length < MIN_SAMPLE_VALUES || dates.some((d) => parseDate(d) !== undefined)) return undefined;
  const fits = DATE_FORMATS.filter((f) => f !== DEFAULT_FORMATS.dateFormat && dates.every((d) => parseDate(d, f)));
  const none = `none of its ${dates.length} dates is ${DEFAULT_FORMATS.dateFormat}`;
  if (fits.length === 0) return undefined;
  if (fits.length === 1) return `${none}, but all read as ${fits[0]!}: pass --date-format ${fits[0]!}`;
  const options = fits.map((f: DateFormat) => `--date-format ${f}`);
  return (
    `${none}, and all read as ${fits.join(' and as ')}: the dates are ambiguous and are not guessed; ` +
    `pass ${options.join(' or ')}, as the file was written`
  );
}

/** What to tell about the amounts: undefined unless every one fails with a decimal point and reads with a comma. */
function amountsHint(amounts: string[]): string | undefined {
  if (amounts.length < MIN_SAMPLE_VALUES) return undefined;
  if (amounts.some((a) => parseAmount(a) !== undefined)) return undefined;
  if (!amounts.every((a) => parseAmount(a, true) !== undefined)) return undefined;
  return `none of its ${amounts.length} billing amounts is a number with a decimal point, but all read with a decimal comma: pass --decimal-comma`;
}

/**
 * Why the file is refused, or undefined: with a format not given on the command line (`given`
 * lacks it), a sample whose values all fail in the default format but all read in another one.
 * Nothing is guessed: the user names the format, and the hint names the option(s) that read them.
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
