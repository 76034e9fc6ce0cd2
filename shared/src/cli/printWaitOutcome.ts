import type { ReasonCount } from '../load/rejectSummary.js';
import { rejectRate } from '../load/rejectSummary.js';
import type { LoadReport } from '../load/report.js';
import { formatReport } from './formatReport.js';
import { stuckAdvice, type Stuck } from './waitForLoad.js';
import { EXIT } from './exitCodes.js';

const pct = (rate: number) => `${(100 * rate).toFixed(1).replace(/\.0$/, '')}%`;

/**
 * The exit code of a finished wait, saying on stderr why it is not 0: 0 for a completed load,
 * 4 for a completed load whose rejected rows exceed `maxRejectRate` of the rows read (its data is
 * stored; the file deserves a look), 6 for a mirror load whose archive step was refused, 1 failed
 * (a failed archive step too) or stuck, 130 interrupted.
 */
export function waitOutcomeCode(outcome: { report: LoadReport; stuck: Stuck | null }, maxRejectRate: number): number {
  const { report, stuck } = outcome;
  if (stuck) process.stderr.write(`${stuckAdvice(stuck, report)}\n`);
  if (report.state === 'completed') {
    const rate = rejectRate(report);
    if (rate > maxRejectRate) {
      process.stderr.write(
        `${pct(rate)} of the rows were rejected, more than MAX_REJECT_RATE (${pct(maxRejectRate)}): ` +
          'the load completed, but check the file and the reasons above (exit 4)\n',
      );
      return EXIT.tooManyRejects;
    }
    return archiveCode(report);
  }
  return stuck === 'interrupted' ? EXIT.interrupted : EXIT.notCompleted;
}

/** 0, or 6 when a completed mirror load's archive step was refused (saying what to do), 1 when it failed. */
function archiveCode(report: LoadReport): number {
  const a = report.archive;
  if (a?.stage === 'refused') {
    process.stderr.write(
      `the load completed, but its archive step was refused (${a.reason ?? 'beyond --max-archive'}): nothing was archived; ` +
        `check the file, then run enqueue --load-id ${report.loadId} --confirm-archive to archive anyway (exit 6)\n`,
    );
    return EXIT.archiveRefused;
  }
  if (a?.stage === 'failed') {
    process.stderr.write(`the archive step of load ${report.loadId} failed: ${a.reason ?? ''} (exit 1)\n`);
    return EXIT.notCompleted;
  }
  return EXIT.ok;
}

/** Prints the report of a finished wait and returns the exit code (see waitOutcomeCode). */
export function printWaitOutcome(
  outcome: { report: LoadReport; stuck: Stuck | null },
  opts: { json: boolean; rejects: readonly ReasonCount[]; maxRejectRate: number },
): number {
  const { report } = outcome;
  process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : `${formatReport(report, opts.rejects)}\n`);
  return waitOutcomeCode(outcome, opts.maxRejectRate);
}
