/**
 * The loads page: static HTML, a stylesheet and a small script that polls `api/loads` every
 * 2 s and draws each load (state, progress bar, counts, throughput, rejects by reason, failed
 * chunks, an SVG chart of rows/s over time). Everything is served by the dashboard itself (no
 * CDN) and the script builds the page with textContent only, so nothing read from the database is
 * ever parsed as HTML. It shows counts, reasons and ids only, never rows or names.
 *
 * Stable hooks for tests and for people who script the page: `section.load[data-load-id]`
 * (`data-state`), `.progress-bar[role=progressbar]` (`aria-valuenow`, `data-processed`,
 * `data-total`), `.counts [data-count]`, `.throughput [data-rows-per-sec]`,
 * `ol.rejects li[data-reason]` (`.n`), `table.failed-chunks tr[data-chunk]`, `svg.throughput-chart`
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
    <main id="loads" data-ready="false"></main>
    <script src="assets/loads.js" defer></script>
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

export const LOADS_JS = String.raw`(function () {
  'use strict';
  var REFRESH_MS = ${REFRESH_MS};
  var SVG = 'http://www.w3.org/2000/svg';
  // The API's URL is built from the page's origin and path, not left relative: a page opened as
  // http://user:pw@host/ has the credentials in its base URL, and fetch refuses a URL that
  // includes credentials (the browser resends them from its auth cache anyway).
  var LOADS_URL = new URL('api/loads', location.origin + location.pathname).href;
  var main = document.getElementById('loads');
  var concurrencyBox = document.getElementById('concurrency');
  var status = document.getElementById('refresh-status');

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    return fill(node, attrs, children);
  }
  function svg(tag, attrs, children) {
    return fill(document.createElementNS(SVG, tag), attrs, children);
  }
  function fill(node, attrs, children) {
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, String(attrs[k]));
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    });
    return node;
  }
  function num(n) { return n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US'); }
  function rate(n) { return n === null || n === undefined ? '–' : num(Math.round(n)) + ' rows/s'; }
  function time(iso) { return iso ? new Date(iso).toLocaleTimeString('en-GB') : '–'; }
  function day(iso) { return iso ? new Date(iso).toLocaleString('en-GB') : '–'; }
  function duration(ms) {
    var s = Math.max(0, Math.round(ms / 1000));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return (h ? h + ' h ' : '') + (h || m ? m + ' min ' : '') + (s % 60) + ' s';
  }

  function progress(load) {
    var total = load.rowsRead;
    var pct = total ? Math.min(100, (100 * load.rowsProcessed) / total) : total === 0 ? 100 : null;
    var bar = el('div', {
      class: 'progress-bar', role: 'progressbar', 'aria-label': 'rows processed',
      'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': pct === null ? null : Math.floor(pct),
      'data-processed': load.rowsProcessed, 'data-total': total
    }, [el('div', { class: 'progress-fill' })]);
    bar.firstChild.style.width = (pct === null ? 0 : pct) + '%';
    var text = total === null
      ? num(load.rowsProcessed) + ' rows processed (the file is still being read)'
      : num(load.rowsProcessed) + ' of ' + num(total) + ' rows processed (' + Math.floor(pct) + ' %)';
    return [bar, el('p', { class: 'progress-text' }, [text])];
  }

  function dl(cls, attr, rows) {
    return el('dl', { class: cls }, rows.map(function (r) {
      var a = {}; a[attr] = r[0];
      return el('div', a, [el('dt', {}, [r[1]]), el('dd', {}, [num(r[2])])]);
    }));
  }

  function chart(load) {
    var W = 600, H = 170, L = 52, R = 10, T = 12, B = 24;
    var tp = load.throughput || {};
    var pts = tp.series || [];
    var n = pts.length;
    var avg = tp.rowsPerSec;
    var max = pts.reduce(function (m, p) { return Math.max(m, p.rowsPerSec); }, avg || 0) || 1;
    // x is time: each bucket is a step as wide as the time it covers (the last one ends with the
    // load), so the area under the line is the rows and its mean height is the average beside it.
    var span = pts.reduce(function (s, p) { return s + p.seconds; }, 0) || 1;
    var x = function (sec) { return L + (sec * (W - L - R)) / span; };
    var y = function (v) { return T + (H - T - B) * (1 - v / max); };
    var edges = [];
    pts.reduce(function (s, p) { edges.push([s, s + p.seconds]); return s + p.seconds; }, 0);
    var line = n ? 'M' + x(0).toFixed(1) + ' ' + y(pts[0].rowsPerSec).toFixed(1) + ' ' + pts.map(function (p, i) {
      return (i ? 'V' + y(p.rowsPerSec).toFixed(1) + ' ' : '') + 'H' + x(edges[i][1]).toFixed(1);
    }).join(' ') : '';
    var kids = [
      svg('line', { class: 'axis', x1: L, y1: H - B, x2: W - R, y2: H - B }),
      svg('line', { class: 'axis', x1: L, y1: T, x2: L, y2: H - B }),
      svg('line', { class: 'axis', x1: L, y1: T, x2: W - R, y2: T, 'stroke-dasharray': '3 3' }),
      svg('text', { class: 'label', x: L - 6, y: T + 4, 'text-anchor': 'end' }, [num(Math.round(max))]),
      svg('text', { class: 'label', x: L - 6, y: H - B + 4, 'text-anchor': 'end' }, ['0']),
      svg('text', { class: 'label', x: 4, y: (H - B + T) / 2, transform: 'rotate(-90 10 ' + (H - B + T) / 2 + ')' }, ['rows/s'])
    ];
    if (n > 0) {
      var endIso = new Date(Math.round(Date.parse(pts[n - 1].t) + pts[n - 1].seconds * 1000)).toISOString();
      kids.push(svg('text', { class: 'label', x: L, y: H - 6 }, [time(pts[0].t)]));
      kids.push(svg('text', { class: 'label', x: W - R, y: H - 6, 'text-anchor': 'end', 'data-end': endIso }, [time(endIso)]));
      kids.push(svg('path', { class: 'area', d: line + ' V' + (H - B) + ' H' + L + ' Z' }));
      kids.push(svg('path', { class: 'series', d: line }));
      if (avg !== null && avg !== undefined) {
        kids.push(svg('line', { class: 'average', x1: L, y1: y(avg).toFixed(1), x2: W - R, y2: y(avg).toFixed(1),
          'data-rows-per-sec': avg }, [svg('title', {}, ['average: ' + rate(avg)])]));
      }
      pts.forEach(function (p, i) {
        kids.push(svg('circle', { class: 'point', cx: x((edges[i][0] + edges[i][1]) / 2).toFixed(1),
          cy: y(p.rowsPerSec).toFixed(1), r: 2, 'data-t': p.t, 'data-seconds': p.seconds, 'data-rows-per-sec': p.rowsPerSec },
          [svg('title', {}, [time(p.t) + ': ' + rate(p.rowsPerSec) + ' over ' + p.seconds + ' s'])]));
      });
    }
    return svg('svg', { class: 'throughput-chart', viewBox: '0 0 ' + W + ' ' + H, role: 'img',
      'aria-label': 'rows per second over time', 'data-points': n }, kids);
  }

  function rejects(load) {
    var reasons = Object.keys(load.rejectsByReason || {});
    if (!reasons.length) return el('p', { class: 'muted rejects-none' }, ['No rejected rows.']);
    return el('ol', { class: 'rejects' }, reasons.map(function (r) {
      return el('li', { 'data-reason': r }, [el('span', { class: 'reason' }, [r]), el('span', { class: 'n' }, [num(load.rejectsByReason[r])])]);
    }));
  }

  function failed(load) {
    if (!load.failedChunks || !load.failedChunks.length) return null;
    return el('div', { class: 'panel' }, [
      el('h3', {}, ['Failed chunks (npm run retry -- ' + load.loadId + ')']),
      el('table', { class: 'failed-chunks' }, [
        el('thead', {}, [el('tr', {}, [el('th', { class: 'n' }, ['chunk']), el('th', { class: 'n' }, ['attempts']), el('th', {}, ['error'])])]),
        el('tbody', {}, load.failedChunks.map(function (f) {
          return el('tr', { 'data-chunk': f.chunk }, [el('td', { class: 'n' }, [f.chunk]), el('td', { class: 'n' }, [f.attempts]),
            el('td', { class: 'error' }, [String(f.error).slice(0, 300)])]);
        }))
      ])
    ]);
  }

  function renderLoad(load) {
    var t = load.throughput || {};
    var end = load.finishedAt ? Date.parse(load.finishedAt) : Date.now();
    var c = load.chunks || {};
    return el('section', { class: 'load', 'data-load-id': load.loadId, 'data-state': load.state }, [
      el('header', { class: 'load-head' }, [
        el('h2', { class: 'load-id' }, [load.loadId]),
        el('span', { class: 'state state-' + load.state }, [load.state]),
        el('span', { class: 'file' }, [String(load.file).split('/').pop()]),
        el('span', { class: 'times' }, ['started ' + day(load.startedAt) + ' · ' + (load.finishedAt ? 'took ' : 'running for ') + duration(end - Date.parse(load.startedAt))])
      ])
    ].concat(progress(load), [
      el('div', { class: 'panels' }, [
        el('div', { class: 'panel' }, [el('h3', {}, ['Rows']), dl('counts', 'data-count', [
          ['rowsRead', 'read', load.rowsRead], ['rowsProcessed', 'processed', load.rowsProcessed],
          ['inserted', 'inserted', load.inserted], ['updated', 'updated', load.updated],
          ['unchanged', 'unchanged', load.unchanged], ['superseded', 'superseded', load.superseded],
          ['stale', 'stale', load.stale], ['rejected', 'rejected', load.rejected], ['normalized', 'normalized', load.normalized]
        ])]),
        el('div', { class: 'panel' }, [
          el('h3', {}, ['Throughput']),
          el('div', { class: 'throughput' }, [
            el('div', { class: 'rate', 'data-rows-per-sec': t.rowsPerSec }, [rate(t.rowsPerSec)]),
            el('div', { class: 'rate-note' }, ['average' + (t.currentRowsPerSec !== null && t.currentRowsPerSec !== undefined ? ' · now ' + rate(t.currentRowsPerSec) : '')])
          ]),
          el('h3', {}, ['Chunks']),
          dl('chunks', 'data-chunks', [['total', 'total', c.total], ['completed', 'completed', c.completed],
            ['failed', 'failed', c.failed], ['pending', 'pending', c.pending]].concat(load.missingChunks && load.missingChunks.length
            ? [['missing', 'missing from the queue', load.missingChunks.length]] : []))
        ]),
        el('div', { class: 'panel' }, [el('h3', {}, ['Rows/s over time (' + (t.bucketSeconds || '–') + ' s buckets; dashed: the average)']), chart(load)])
      ]),
      el('div', { class: 'panels lists' }, [el('div', { class: 'panel' }, [el('h3', {}, ['Rejects by reason']), rejects(load)]), failed(load)])
    ]));
  }

  // The limit on chunks in flight across all workers, as a step line over the last hour.
  function limitChart(history) {
    var W = 600, H = 90, L = 30, R = 10, T = 10, B = 20;
    var n = history.length;
    var t0 = n ? Date.parse(history[0].at) : 0, t1 = Date.now();
    var max = history.reduce(function (m, h) { return Math.max(m, h.limit); }, 1);
    var x = function (t) { return L + ((t - t0) * (W - L - R)) / Math.max(1, t1 - t0); };
    var y = function (v) { return T + (H - T - B) * (1 - v / max); };
    var d = n ? 'M' + x(t0).toFixed(1) + ' ' + y(history[0].limit).toFixed(1) + ' ' + history.map(function (h) {
      return 'H' + x(Date.parse(h.at)).toFixed(1) + ' V' + y(h.limit).toFixed(1);
    }).join(' ') + ' H' + x(t1).toFixed(1) : '';
    var kids = [
      svg('line', { class: 'axis', x1: L, y1: H - B, x2: W - R, y2: H - B }),
      svg('text', { class: 'label', x: L - 6, y: T + 4, 'text-anchor': 'end' }, [num(max)]),
      svg('text', { class: 'label', x: L - 6, y: H - B + 4, 'text-anchor': 'end' }, ['0']),
      svg('path', { class: 'series', d: d })
    ];
    if (n) kids.push(svg('text', { class: 'label', x: L, y: H - 4 }, [time(history[0].at)]));
    history.forEach(function (h) {
      kids.push(svg('circle', { class: 'change', cx: x(Date.parse(h.at)).toFixed(1), cy: y(h.limit).toFixed(1), r: 2,
        'data-at': h.at, 'data-limit': h.limit }, [svg('title', {}, [time(h.at) + ': ' + h.limit])]));
    });
    return svg('svg', { class: 'limit-chart', viewBox: '0 0 ' + W + ' ' + H, role: 'img',
      'aria-label': 'chunks in flight limit over time', 'data-points': n }, kids);
  }

  function renderConcurrency(c) {
    if (!c || c.limit === null || c.limit === undefined) return concurrencyBox.replaceChildren();
    concurrencyBox.setAttribute('data-limit', c.limit);
    concurrencyBox.replaceChildren(
      el('div', {}, [el('h3', {}, ['Chunks in flight, all workers']), el('div', { class: 'rate' }, [num(c.limit)]),
        el('div', { class: 'rate-note' }, [c.pinned === null ? 'adapted to the store (GLOBAL_CONCURRENCY=auto)' : 'pinned (GLOBAL_CONCURRENCY=' + c.pinned + ')'])]),
      c.history.length ? limitChart(c.history) : el('p', { class: 'muted' }, ['no changes in the last hour'])
    );
  }

  function render(loads) {
    main.replaceChildren.apply(main, loads.length ? loads.map(renderLoad)
      : [el('p', { class: 'empty' }, ['No loads yet: run npm run enqueue -- <file>.'])]);
    main.setAttribute('data-ready', 'true');
  }

  function refresh() {
    fetch(LOADS_URL, { cache: 'no-store', headers: { accept: 'application/json' } })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(function (body) {
        render(body.loads);
        renderConcurrency(body.concurrency);
        status.setAttribute('data-ok', 'true');
        status.setAttribute('data-updated-at', new Date().toISOString());
        status.textContent = 'updated ' + new Date().toLocaleTimeString('en-GB') + ' · every ' + REFRESH_MS / 1000 + ' s';
      })
      .catch(function (err) {
        status.setAttribute('data-ok', 'false');
        status.textContent = 'refresh failed (' + err.message + '), retrying';
      })
      .then(function () { setTimeout(refresh, REFRESH_MS); });
  }
  refresh();
})();
`;
