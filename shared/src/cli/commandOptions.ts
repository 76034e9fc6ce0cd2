import { InvalidArgumentError, Option } from 'commander';
import { parseRate } from '../config/rate.js';
import { parseDelimiter, type Delimiter } from '../csv/delimiter.js';
import { FILE_ENCODINGS, parseEncoding, type FileEncoding } from '../file/encoding.js';
import { DATE_FORMATS, DEFAULT_FORMATS } from '../rules/rowFormats.js';

/** Parses --max-reject-rate: a fraction (0.05) or a percentage (5%). */
export function rejectRateOption(value: string): number {
  const rate = parseRate(value);
  if (rate === undefined) throw new InvalidArgumentError('must be a fraction from 0 to 1 (0.05) or a percentage (5%)');
  return rate;
}

/** Parses --delimiter: `,` `;` `tab` or `\t`. */
export function delimiterOption(value: string): Delimiter {
  try {
    return parseDelimiter(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/**
 * The `--encoding` option of the commands that read or write a file (enqueue, verify, rejects);
 * `fallback` null: no default (rejects: the load's own).
 */
export function encodingOption(description: string, fallback: FileEncoding | null = 'utf8'): Option {
  const option = new Option('--encoding <name>', description).choices([...FILE_ENCODINGS]);
  if (fallback !== null) option.default(fallback);
  return option.argParser((v) => {
    try {
      return parseEncoding(v);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  });
}

/** The `--decimal-comma` option of the commands that read a file (enqueue, verify). */
export function decimalCommaOption(
  description = 'amounts are written with a decimal comma: 1234,56, 1 234,56 or 1.234,56 (default: a decimal point)',
): Option {
  return new Option('--decimal-comma', description);
}

/** The `--date-format` option of the commands that read a file (enqueue, verify). */
export function dateFormatOption(
  description = `how dates are written (default: ${DEFAULT_FORMATS.dateFormat})`,
): Option {
  return new Option('--date-format <format>', description).choices([...DATE_FORMATS]);
}
