import type { BenchResult } from './summarize.js';
import type { Measured } from './measured.js';
import { resultFileName } from './resultFiles.js';
import { TARGETS } from './targets.js';

const rate = (x: number | null | undefined) => (x == null ? 'not run' : `${x} rows/s`);

/** enqueue and directUpsert, with what each measured beside its rate. */
function writeLines(m: Measured): string[] {
  const { enqueue, direct } = m;
  return [
    `enqueue              ${rate(enqueue?.rowsPerSec)}` +
      (enqueue
        ? `  (wall ${enqueue.wallRowsPerSec} rows/s incl. ${enqueue.startupMs} ms start-up)  peak RSS ${enqueue.peakRssMB} MB  Redis peak +${enqueue.redisPeakMB} MB`
        : ''),
    `directUpsert         ${rate(direct?.rowsPerSec)}` +
      (direct
        ? `  (query indexes built after: ${direct.indexMs} ms; no repeated admissions: ${direct.noRepeatsRowsPerSec};` +
          ` indexes first: ${direct.indexesFirstRowsPerSec}; acknowledged: ${direct.acknowledgedRowsPerSec} rows/s)`
        : ''),
    ...(direct
      ? [
          `directUpsert reload  ${direct.reload.rowsPerSec} rows/s (no repeated admissions)  unchanged ${direct.reload.unchanged}, updated ${direct.reload.updated};` +
            ` update statements to patients ${direct.reload.patientUpdateStatements}, documents modified ${direct.reload.patientDocumentsModified}`,
          `  commands            ${JSON.stringify(direct.reload.commands)}`,
        ]
      : []),
  ];
}

/** endToEnd and reload, a line per worker count. */
function workerLines(m: Measured): string[] {
  return [
    ...m.e2e.map(
      (e) =>
        `endToEnd ${String(e.workers).padEnd(2)} workers  ${e.rowsPerSec} rows/s  chunk ms ${JSON.stringify(e.chunkMs)}`,
    ),
    ...m.reloads.map(
      (e) =>
        `reload   ${String(e.workers).padEnd(2)} workers  ${e.rowsPerSec} rows/s  chunk ms ${JSON.stringify(e.chunkMs)}`,
    ),
  ];
}

/** The archive step of a mirror load, when measured. */
function archiveLines(m: Measured): string[] {
  const a = m.archive;
  if (!a) return [];
  return [
    `archive step         ${a.archived} of ${a.admissions} admissions in ${a.countMs + a.moveMs} ms, batches of ${a.batch}` +
      ` (count ${a.countMs} ms, move ${a.moveMs} ms; ${a.scannedPerSec} ids scanned/s, ${a.archivedPerSec} archived/s)`,
    `  read whole ${a.wholeDocumentsRead} documents; largest reply ${a.largestReply} documents; heap +${a.heapGrowthMB} MB at most`,
    `  commands            ${JSON.stringify(a.commands)}`,
  ];
}

/** Each target, met or not. */
function targetLines(m: Measured, result: BenchResult): string[] {
  return [
    m.direct
      ? `target ${'reload: no update statement for an unchanged row'.padEnd(40)} ${m.direct.reload.patientUpdateStatements} statements for ${m.direct.reload.updated} updated rows (${m.direct.reload.patientUpdateStatements <= m.direct.reload.updated ? 'met' : 'NOT met'})`
      : `target ${'reload: no update statement for an unchanged row'.padEnd(40)} not measured`,
    ...TARGETS.map(({ key, min, what }) => {
      const v = result.ratios[key];
      return `target ${what.padEnd(40)} ${v == null ? 'not measured' : `${v} (>= ${min}: ${v >= min ? 'met' : 'NOT met'})`}`;
    }),
  ];
}

/** The results as text, one stage a line, then each target met or not. */
export function textReport(m: Measured, result: BenchResult): string {
  const { rows } = result;
  const lines = [
    `rows                 ${rows}`,
    `parseOnly            ${rate(m.parse)}`,
    ...writeLines(m),
    `seedBaseline         ${rate(m.baseline?.rowsPerSec)}`,
    ...workerLines(m),
    ...archiveLines(m),
    ...targetLines(m, result),
    `results              bench/results/${resultFileName(result)}` + (m.e2e.length > 0 ? `, endToEnd-${rows}.svg` : ''),
  ];
  return `${lines.join('\n')}\n`;
}
