import type { LoadReport } from '@hcingest/shared/load/report';
import { formatProgress } from './formatReport.js';

/** Prints a progress line to stderr when progress changes, at most every `everyMs`. */
export function progressPrinter(everyMs = 2000): (r: LoadReport) => void {
  let last = '';
  let lastAt = 0;
  return (r) => {
    const line = formatProgress(r);
    const now = Date.now();
    if (line !== last && (now - lastAt >= everyMs || r.state !== 'running')) {
      process.stderr.write(`${line}\n`);
      last = line;
      lastAt = now;
    }
  };
}
