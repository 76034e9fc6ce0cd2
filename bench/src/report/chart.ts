/** A small SVG line chart of end-to-end and reload rows/s against workers, with the ceilings as lines. */
export function renderChart(r: {
  rows: number;
  endToEnd: { workers: number; rowsPerSec: number }[];
  reload: { workers: number; rowsPerSec: number }[];
  directUpsert: { rowsPerSec: number | null };
  seedBaseline: { rowsPerSec: number | null };
}): string {
  const W = 560;
  const H = 320;
  const pad = { l: 70, r: 150, t: 30, b: 40 };
  const xs = r.endToEnd.map((e) => e.workers);
  const refs = [r.directUpsert.rowsPerSec ?? 0, r.seedBaseline.rowsPerSec ?? 0];
  const maxY =
    Math.max(...r.endToEnd.map((e) => e.rowsPerSec), ...r.reload.map((e) => e.rowsPerSec), ...refs) * 1.15 || 1;
  const maxX = Math.max(...xs, 1);
  const x = (v: number) =>
    pad.l +
    ((v - (xs.length > 1 ? Math.min(...xs) : 0)) / (maxX - (xs.length > 1 ? Math.min(...xs) : 0) || 1)) *
      (W - pad.l - pad.r);
  const y = (v: number) => H - pad.b - (v / maxY) * (H - pad.t - pad.b);
  const line = (series: { workers: number; rowsPerSec: number }[], color: string) =>
    series.length === 0
      ? ''
      : `<polyline fill="none" stroke="${color}" stroke-width="2" points="${series
          .map((e) => `${x(e.workers).toFixed(1)},${y(e.rowsPerSec).toFixed(1)}`)
          .join(' ')}"/>` +
        series
          .map(
            (e) =>
              `<circle cx="${x(e.workers)}" cy="${y(e.rowsPerSec)}" r="4" fill="${color}"/>` +
              `<text x="${x(e.workers)}" y="${y(e.rowsPerSec) - 8}" font-size="11" text-anchor="middle">${e.rowsPerSec}</text>`,
          )
          .join('');
  const hline = (v: number, label: string, color: string) =>
    v > 0
      ? `<line x1="${pad.l}" x2="${W - pad.r}" y1="${y(v)}" y2="${y(v)}" stroke="${color}" stroke-dasharray="5,4"/>` +
        `<text x="${W - pad.r + 6}" y="${y(v) + 4}" font-size="12" fill="${color}">${label} ${v}</text>`
      : '';
  const ticks = r.endToEnd
    .map(
      (e) => `<text x="${x(e.workers)}" y="${H - pad.b + 18}" font-size="12" text-anchor="middle">${e.workers}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="${pad.l}" y="18" font-size="14">rows/s by worker processes (${r.rows} rows): first load, reload</text>
<line x1="${pad.l}" y1="${H - pad.b}" x2="${W - pad.r}" y2="${H - pad.b}" stroke="black"/>
<line x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${H - pad.b}" stroke="black"/>
<text x="${(W - pad.r + pad.l) / 2}" y="${H - 6}" font-size="12" text-anchor="middle">workers</text>
<text x="14" y="${(H - pad.b + pad.t) / 2}" font-size="12" transform="rotate(-90 14 ${(H - pad.b + pad.t) / 2})" text-anchor="middle">rows/s</text>
${hline(r.directUpsert.rowsPerSec ?? 0, 'directUpsert', '#d62728')}
${hline(r.seedBaseline.rowsPerSec ?? 0, 'seedBaseline', '#2ca02c')}
${line(r.endToEnd, '#1f77b4')}
${line(r.reload, '#9467bd')}
<text x="${W - pad.r + 6}" y="${H - pad.b - 24}" font-size="12" fill="#1f77b4">endToEnd</text>
<text x="${W - pad.r + 6}" y="${H - pad.b - 8}" font-size="12" fill="#9467bd">reload (new load)</text>
${ticks}
</svg>
`;
}
