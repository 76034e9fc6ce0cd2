import { cpus } from 'node:os';
import type { TargetKey } from './targets.js';
import type { Measured } from './measured.js';

const ratio = (x: number | null | undefined, y: number | null | undefined) =>
  x != null && y != null ? +(x / y).toFixed(2) : null;

/** The ratios of the targets, null where a stage they need did not run. */
function ratios(m: Measured): Record<TargetKey, number | null> {
  const best = m.firstLoads.length > 0 ? Math.max(...m.firstLoads) : null;
  const bestReload = m.reloads.length > 0 ? Math.max(...m.reloads.map((e) => e.rowsPerSec)) : null;
  return {
    enqueueOverParse: ratio(m.enqueue?.rowsPerSec, m.parse),
    directOverNoRepeats: ratio(m.direct?.rowsPerSec, m.direct?.noRepeatsRowsPerSec),
    bestEndToEndOverDirect: ratio(best, m.direct?.rowsPerSec),
    bestEndToEndOverSeed: ratio(best, m.baseline?.rowsPerSec),
    bestReloadOverBestEndToEnd: ratio(bestReload, best),
    worstEndToEndOverBest: m.e2e.length > 1 ? ratio(Math.min(...m.e2e.map((e) => e.rowsPerSec)), best) : null,
  };
}

/** The results document (bench/results/bench-<rows>.json): figures and the ratios of the targets. */
export function summarize(
  m: Measured,
  o: { rows: number; repeat: number; mongoUrl: string; only?: readonly string[] },
) {
  return {
    rows: o.rows,
    only: o.only ?? null,
    parseOnly: { rowsPerSec: m.parse },
    enqueue: m.enqueue ?? { rowsPerSec: null },
    directUpsert: m.direct ?? { rowsPerSec: null },
    seedBaseline: m.baseline ?? { rowsPerSec: null },
    endToEnd: m.e2e,
    reload: m.reloads,
    archive: m.archive,
    ratios: ratios(m),
    repeat: o.repeat,
    machine: {
      cpus: cpus().length,
      node: process.version,
      store: o.mongoUrl.includes('127.0.0.1') ? 'local' : 'remote',
    },
    at: new Date().toISOString(),
  };
}

export type BenchResult = ReturnType<typeof summarize>;
