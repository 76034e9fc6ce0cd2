import type { LoadReport } from '@hcingest/shared/load/report';
import { formatReport } from './formatReport.js';
import { stuckAdvice, type Stuck } from './waitForLoad.js';

/** Prints the report of a finished wait and returns the exit code: 0 only for a completed load. */
export function printWaitOutcome(outcome: { report: LoadReport; stuck: Stuck | null }, json: boolean): number {
  const { report, stuck } = outcome;
  process.stdout.write(json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
  if (stuck) process.stderr.write(`${stuckAdvice(stuck, report)}\n`);
  if (report.state === 'completed') return 0;
  return stuck === 'interrupted' ? 130 : 1;
}
