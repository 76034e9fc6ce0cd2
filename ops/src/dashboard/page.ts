/**
 * The loads page: static HTML, a stylesheet and a small script (public/loads.js, served as
 * assets/loads.js) that polls `api/loads` every REFRESH_MS (given to it as `data-refresh-ms`) and
 * draws each load (state, progress bar, counts, throughput, rejects by reason, failed chunks, an
 * SVG chart of rows/s over time). Everything is served by the dashboard itself (no CDN) and the
 * script builds the page with textContent only, so nothing read from the database is ever parsed
 * as HTML. It shows counts, reasons and ids only, never rows or names.
 *
 * Stable hooks for tests and for people who script the page: `section.load[data-load-id]`
 * (`data-state`), `.progress-bar[role=progressbar]` (`aria-valuenow`, `data-processed`,
 * `data-total`), `.counts [data-count]`, `.throughput [data-rows-per-sec]`,
 * `ol.rejects li[data-reason]` (`.n`), for a mirror load `.load-head .mode[data-mode]` and
 * `.archive[data-stage]` (`.archive-counts [data-archive]`: archived, wouldArchive; `.archive-limit`), `table.failed-chunks tr[data-chunk]`, `svg.throughput-chart`
 * (`data-points`; `path.series`; `circle.point` with `data-t`, `data-seconds`, `data-rows-per-sec`;
 * `line.average`), `#concurrency` (`data-limit`) with `svg.limit-chart` (`data-points`; `circle.change`
 * with `data-at`, `data-limit`), `#refresh-status` (`data-ok`, `data-updated-at`).
 */

export const REFRESH_MS = 2000;

export const LOADS_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>hcingest · loads</title>
    <link rel="stylesheet" href="assets/loads.css" />
  </head>
  <body>
    <header class="top">
      <h1>hcingest <span>loads</span></h1>
      <nav><a href="queues">Queue (bull-board)</a> <a href="api/loads">JSON</a> <a href="metrics">Metrics</a></nav>
      <p id="refresh-status" aria-live="polite">loading…</p>
    </header>
    <section id="concurrency" class="concurrency" aria-label="chunks in flight across all workers"></section>
    <main id="loads" data-ready="false" data-refresh-ms="${REFRESH_MS}"></main>
    <script type="module" src="assets/loads.js"></script>
  </body>
</html>
`;

export const LOADS_CSS = String.raw`
:root { --fg: #1d2330; --muted: #5f6b7a; --line: #dde3ea; --bg: #f5f7fa; --card: #fff; --accent: #2f6fdf;
  --ok: #1f8a4c; --bad: #c0392b; --warn: #b7791f; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); }
.top { display: flex; align-items: baseline; gap: 1.5rem; padding: .8rem 1.5rem; background: var(--card);
  border-bottom: 1px solid var(--line); flex-wrap: wrap; }
.top h1 { font-size: 1.2rem; margin: 0; } .top h1 span { color: var(--muted); font-weight: 400; }
.top nav a { margin-right: 1rem; color: var(--accent); text-decoration: none; }
#refresh-status { margin: 0 0 0 auto; color: var(--muted); font-size: .85rem; }
#refresh-status[data-ok="false"] { color: var(--bad); }
main { padding: 1rem 1.5rem; display: grid; gap: 1rem; }
.empty { color: var(--muted); }
.load { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.2rem; }
.load-head { display: flex; gap: .8rem; align-items: baseline; flex-wrap: wrap; }
.load-head h2 { font: 600 1rem ui-monospace, SFMono-Regular, Menlo, monospace; margin: 0; }
.load-head .file, .load-head .times { color: var(--muted); font-size: .85rem; }
.state { font-size: .75rem; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; padding: .1rem .5rem;
  border-radius: 99px; color: #fff; background: var(--warn); }
.state-completed { background: var(--ok); } .state-failed { background: var(--bad); }
.mode { font-size: .75rem; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; padding: .1rem .5rem;
  border-radius: 99px; border: 1px solid var(--accent); color: var(--accent); }
.archive-stage { margin: 0 0 .4rem; } .archive-stage.stage-refused, .archive-stage.stage-failed { color: var(--bad); }
.archive-limit { margin: .4rem 0 0; font-size: .85rem; }
.progress-bar { margin: .8rem 0 .3rem; height: 14px; background: #e9edf2; border-radius: 7px; overflow: hidden; }
.progress-fill { height: 100%; width: 0; background: var(--accent); transition: width .4s ease; }
.load[data-state="completed"] .progress-fill { background: var(--ok); }
.load[data-state="failed"] .progress-fill { background: var(--bad); }
.progress-text { margin: 0 0 .8rem; color: var(--muted); font-size: .85rem; }
.panels { display: grid; grid-template-columns: minmax(220px, 1fr) minmax(220px, 1fr) minmax(320px, 2fr); gap: 1.2rem; }
@media (max-width: 900px) { .panels { grid-template-columns: 1fr; } }
.panels.lists { grid-template-columns: 1fr; margin-top: 1rem; }
ol.rejects { list-style: none; margin: 0; padding: 0; columns: 3 300px; column-gap: 2rem; font-size: .85rem; }
ol.rejects li { display: flex; justify-content: space-between; gap: 1rem; padding: .15rem 0; border-bottom: 1px solid var(--line);
  break-inside: avoid; }
ol.rejects .n { font-variant-numeric: tabular-nums; }
.panel h3 { font-size: .8rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin: 0 0 .4rem; }
.panel h3 + .throughput + h3 { margin-top: 1rem; }
dl { margin: 0; display: grid; grid-template-columns: auto auto; gap: .15rem 1rem; } dl > div { display: contents; }
dt { color: var(--muted); } dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
.rate { font-size: 1.4rem; font-weight: 600; font-variant-numeric: tabular-nums; }
.rate-note { color: var(--muted); font-size: .85rem; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; }
td, th { padding: .2rem .4rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.failed-chunks td.error { font-family: ui-monospace, monospace; font-size: .8rem; color: var(--bad); word-break: break-word; }
svg.throughput-chart { width: 100%; height: auto; display: block; }
svg .axis { stroke: var(--line); } svg .label { fill: var(--muted); font-size: 10px; }
svg .series { fill: none; stroke: var(--accent); stroke-width: 2; } svg .area { fill: rgba(47, 111, 223, .12); }
svg .point { fill: var(--accent); }
svg .average { stroke: var(--ok); stroke-width: 1; stroke-dasharray: 4 3; }
.concurrency { margin: 1rem 1.5rem 0; background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: .8rem 1.2rem; display: grid; grid-template-columns: minmax(220px, 1fr) 3fr; gap: 1.2rem; align-items: center; }
.concurrency:empty { display: none; }
svg.limit-chart { width: 100%; height: auto; display: block; } svg .change { fill: var(--accent); }
.muted { color: var(--muted); }
`;
