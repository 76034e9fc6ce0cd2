import {
  DEFAULT_FORMATS,
  delimiterName,
  rowFormatsOf,
  type Delimiter,
  type FileEncoding,
  type LoadDoc,
  type LoadMode,
  type RowFormats,
} from '@hcingest/shared';

/** How a file is read: what every chunk of one load must be read with alike. */
export interface ReadOptions {
  delimiter: Delimiter;
  encoding: FileEncoding;
  formats: RowFormats;
}

/** How a load was read, as recorded (fields absent on loads recorded before them: the defaults). */
export function recordedReadOptions(doc: LoadDoc): ReadOptions {
  return { delimiter: doc.delimiter ?? ',', encoding: doc.encoding ?? 'utf8', formats: rowFormatsOf(doc.formats) };
}

/** One option as the recorded load had it (how to give it again) and as this run gives it. */
interface Difference {
  recorded: string;
  given: string;
}

const defaultOr = (isDefault: boolean, option: string, what: string, value: string) =>
  isDefault ? `the default ${what} ${value}` : `${option} ${value}`;

/** The options that differ between a recorded load and this run, in the order of the command line. */
function differences(recorded: ReadOptions, given: ReadOptions): Difference[] {
  const out: Difference[] = [];
  if (recorded.delimiter !== given.delimiter) {
    // Quoted as a shell needs it (a bare ; ends the command).
    const name = recorded.delimiter === '\t' ? 'tab' : `'${recorded.delimiter}'`;
    out.push({ recorded: `--delimiter ${name}`, given: `${delimiterName(given.delimiter)}-separated` });
  }
  if (recorded.encoding !== given.encoding) {
    const isDefault = recorded.encoding === 'utf8';
    out.push({ recorded: defaultOr(isDefault, '--encoding', 'encoding', recorded.encoding), given: given.encoding });
  }
  const [was, is] = [recorded.formats.dateFormat, given.formats.dateFormat];
  if (was !== is) {
    const isDefault = was === DEFAULT_FORMATS.dateFormat;
    out.push({ recorded: defaultOr(isDefault, '--date-format', 'date format', was), given: is });
  }
  if (recorded.formats.decimalComma !== given.formats.decimalComma) {
    out.push(
      recorded.formats.decimalComma
        ? { recorded: '--decimal-comma', given: 'decimal points' }
        : { recorded: 'decimal points (no --decimal-comma)', given: '--decimal-comma' },
    );
  }
  return out;
}

/**
 * Why a recorded load cannot be resumed with these options, or undefined when it can: one
 * load's chunks must all be split and read alike. Names each option that differs, as the load
 * was read and as this run gives it.
 */
export function resumeRefusal(loadId: string, recorded: ReadOptions, given: ReadOptions): string | undefined {
  const differ = differences(recorded, given);
  if (differ.length === 0) return undefined;
  const list = (parts: string[]) =>
    parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]!}`;
  return (
    `load ${loadId} was read with ${list(differ.map((d) => d.recorded))}; ` +
    `this run gives ${list(differ.map((d) => d.given))}: use the same options, or start another load with --new-load`
  );
}

/**
 * Why a recorded load cannot be resumed in this mode, or undefined when it can: a load is a
 * merge or a mirror from its start (absent means merge, on both sides).
 */
export function modeRefusal(
  loadId: string,
  recorded: LoadMode | undefined,
  given: LoadMode | undefined,
): string | undefined {
  const [was, is] = [recorded ?? 'merge', given ?? 'merge'];
  if (was === is) return undefined;
  return (
    `load ${loadId} was started with --mode ${was}; this run gives --mode ${is}: ` +
    'use the same mode, or start another load with --new-load'
  );
}
