import cliProgress from 'cli-progress';
import type { LoadReport } from '../load/report.js';
import { formatProgress } from './formatReport.js';

export interface Progress {
  (report: LoadReport): void;
  /** ends the bar (before the report is printed) */
  stop(): void;
}

/**
 * Progress of a load on stderr: on a terminal, a bar (rows processed / rows read, rate, ETA);
 * otherwise a plain line when progress changes, at most every `everyMs`.
 */
export function progressPrinter(everyMs = 2000, stream: NodeJS.WriteStream = process.stderr): Progress {
  return stream.isTTY ? barProgress(stream) : lineProgress(everyMs, stream);
}

function barProgress(stream: NodeJS.WriteStream): Progress {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format:
        'load {loadId} |{bar}| {percentage}% {value}/{total} rows | {rate} rows/s | ETA {eta_formatted} | chunks {chunks}',
      hideCursor: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const t0 = Date.now();
  const update = (r: LoadReport) => {
    const total = r.rowsRead ?? Math.max(r.rowsProcessed, 1);
    const rate = Math.round(r.rowsProcessed / Math.max((Date.now() - t0) / 1000, 0.001));
    const payload = { loadId: r.loadId, rate, chunks: `${r.chunks.completed}/${r.chunks.total ?? '?'}` };
    if (!started) {
      bar.start(total, r.rowsProcessed, payload);
      started = true;
    } else {
      bar.setTotal(total);
      bar.update(r.rowsProcessed, payload);
    }
  };
  return Object.assign(update, { stop: () => started && bar.stop() });
}

function lineProgress(everyMs: number, stream: NodeJS.WriteStream): Progress {
  let last = '';
  let lastAt = 0;
  const update = (r: LoadReport) => {
    const line = formatProgress(r);
    const now = Date.now();
    if (line !== last && (now - lastAt >= everyMs || r.state !== 'running')) {
      stream.write(`${line}\n`);
      last = line;
      lastAt = now;
    }
  };
  return Object.assign(update, { stop: () => undefined });
}
