#!/usr/bin/env node

import {
  command,
  connectStore,
  EXIT,
  encodingOption,
  getLoad,
  runCli,
  type FileEncoding,
  type Delimiter,
  delimiterOption,
  type DateFormat,
  dateFormatOption,
  decimalCommaOption,
} from '@hcingest/shared';
import { formatVerify } from '../verify/formatVerify.js';
import { NotMirrorLoadError } from '../verify/verifyArchived.js';
import { verifyFile, type VerifyOutcome } from '../verify/verifyFile.js';

const EXIT_OF: Record<VerifyOutcome, number> = {
  OK: EXIT.ok,
  MISMATCH: EXIT.notCompleted,
  REJECTS_NOT_COMPARED: EXIT.notComparable,
};

const program = command('verify')
  .description(
    'Audits the store against a file, independently of any load report: reads the file with the same\n' +
      'rules a load applies (the later row of an admission wins), reads back every admission it must have\n' +
      'written and compares each field and its BSON type; compares the rows the rules reject with the\n' +
      "rejects stored for the file's load. Reads only (reader account). Prints no patient value unless\n" +
      '--show-values.',
  )
  .argument('<file>', 'the CSV file that was loaded (gzip-compressed too)')
  .option(
    '--load-id <id>',
    "the load whose rejects are compared (default: the latest load of this file's content, gzip-compressed or not)",
  )
  .addOption(encodingOption('file encoding, as given to enqueue'))
  .option(
    '--delimiter <d>',
    'field delimiter, as given to enqueue: "," ";" or "tab" (default: detected)',
    delimiterOption,
  )
  .addOption(decimalCommaOption('amounts are written with a decimal comma (default: as the load recorded it)'))
  .addOption(dateFormatOption('how dates are written (default: as the load recorded it, else YYYY-MM-DD)'))
  .option('--exact', "the collection must hold this file's admissions and nothing else")
  .option(
    '--archived',
    'also check what the mirror load (--load-id, or the latest load of this file) archived: absent from the\n' +
      'file, in the archive, and absent from patients unless restored or written by a later load since',
  )
  .option('--show-values', 'also print up to 20 differing values (patient data: for the operator only)')
  .option('--json', 'print the audit as one JSON document')
  .addHelpText(
    'after',
    '\nAdmissions written by other files are not differences, unless --exact. An admission of this file that a\n' +
      'later load changed is one (the store no longer holds what this file says).\n' +
      'Exit codes: 0 OK: every admission and reject matches, 1 MISMATCH: a difference (or an error), 2 file,\n' +
      'usage or settings refused, 3 no such --load-id (--archived: or no mirror load), 5 ADMISSIONS OK, REJECTS NOT COMPARED: every admission\n' +
      'matches but no load of the file was found to compare its rejects with (give --load-id).',
  )
  .showHelpAfterError()
  .parse();

const opts = program.opts<{
  loadId?: string;
  encoding: FileEncoding;
  delimiter?: Delimiter;
  decimalComma?: boolean;
  dateFormat?: DateFormat;
  exact?: boolean;
  archived?: boolean;
  showValues?: boolean;
  json?: boolean;
}>();
const [path] = program.args as [string];

await runCli('verify', async (config, log) => {
  const store = await connectStore(config, 'hcingest-verify');
  try {
    if (opts.loadId && !(await getLoad(store, opts.loadId))) {
      process.stderr.write(`verify: no load "${opts.loadId}"\n`);
      return EXIT.notFound;
    }
    const started = Date.now();
    const result = await verifyFile(store, path, {
      archived: opts.archived === true,
      encoding: opts.encoding,
      delimiter: opts.delimiter,
      formats: {
        ...(opts.decimalComma ? { decimalComma: true } : {}),
        ...(opts.dateFormat ? { dateFormat: opts.dateFormat } : {}),
      },
      loadId: opts.loadId,
      exact: opts.exact === true,
      showValues: opts.showValues ? 20 : 0,
    });
    const { values: _values, ...counts } = result;
    log.info({ ...counts, differingFields: result.differingFields.length, ms: Date.now() - started }, 'verified');
    process.stdout.write(opts.json ? `${JSON.stringify(result)}\n` : formatVerify(result));
    return EXIT_OF[result.result];
  } catch (err) {
    if (!(err instanceof NotMirrorLoadError)) throw err;
    process.stderr.write(`verify: --archived: ${err.message}\n`);
    return EXIT.notFound;
  } finally {
    await store.client.close().catch(() => undefined);
  }
});
