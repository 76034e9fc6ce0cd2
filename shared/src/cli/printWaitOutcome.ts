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
 * stored; the file deserves a look), 1 failed or stuck, 130 interrupted.
 */
export function waitOutcomeCode(outcome: { report: LoadReport; stuck: Stuck | null }, maxRejectRate: number): number {
  const { report, stuck } = outcome;
  if (stuck) process.stderr.write(`${stuckAdvice(stuck, report)}\n`);
  if (report.state === 'completed') {
    const rate = rejectRate(report);
    if (rate <= maxRejectRate) return EXIT.ok;
    process.stderr.write(
      `${pct(rate)} of the rows were rejected, more than MAX_REJECT_RATE (${pct(maxRejectRate)}): ` +
        'the load completed, but check the file and the reasons above (exit 4)\n',
    );
    return EXIT.tooManyRejects;
  }
  return stuck === 'interrupted' ? EXIT.interrupted : EXIT.notCompleted;
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
