// @ts-check
/**
 * The loads page's script (a module: strict, and nothing of it global). It polls `api/loads`
 * every `data-refresh-ms` of `main#loads` and draws each load and the chunks-in-flight limit. It
 * builds the page with textContent only, so nothing read from the database is ever parsed as HTML.
 * The stable hooks it draws are listed in ../page.ts.
 */

/**
 * @typedef {{ t: string; seconds: number; rowsPerSec: number }} ThroughputPoint
 * @typedef {{ rowsPerSec: number | null; currentRowsPerSec: number | null; bucketSeconds: number;
 *   series: ThroughputPoint[] }} Throughput
 * @typedef {{ chunk: number; attempts: number; error: string }} FailedChunk
 * @typedef {{ total: number; completed: number; failed: number; pending: number }} ChunkCounts
 * @typedef {{
 *   loadId: string; state: string; file: string; startedAt: string; finishedAt?: string | null;
 *   rowsRead: number | null; rowsProcessed: number; inserted: number; updated: number; unchanged: number;
 *   superseded: number; stale: number; rejected: number; normalized: number;
 *   chunks?: ChunkCounts; missingChunks?: number[]; failedChunks?: FailedChunk[];
 *   rejectsByReason?: Record<string, number>; throughput?: Throughput;
 *   mode?: string; archive?: ArchiveView;
 * }} LoadView
 * @typedef {{ stage: string; limit: { count?: number; share?: number }; archived: number | null;
 *   wouldArchive: number | null; confirmed: boolean; reason: string | null }} ArchiveView
 * @typedef {{ at: string; limit: number }} LimitChange
 * @typedef {{ limit: number | null; pinned: number | null; history: LimitChange[] }} ConcurrencyView
 * @typedef {Record<string, unknown>} Attrs
 * @typedef {Node | string | number | null | undefined} Child
 */

const SVG = 'http://www.w3.org/2000/svg';
// The API's URL is built from the page's origin and path, not left relative: a page opened as
// http://user:pw@host/ has the credentials in its base URL, and fetch refuses a URL that
// includes credentials (the browser resends them from its auth cache anyway).
const LOADS_URL = new URL('api/loads', location.origin + location.pathname).href;
const main = byId('loads');
const concurrencyBox = byId('concurrency');
const status = byId('refresh-status');
const REFRESH_MS = Number(main.dataset.refreshMs);

/** @param {string} id */
function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node;
}

// --- Building elements (text only, never HTML) ---

/**
 * @param {string} tag
 * @param {Attrs} [attrs]
 * @param {Child[]} [children]
 */
function el(tag, attrs, children) {
  return fill(document.createElement(tag), attrs, children);
}

/**
 * @param {string} tag
 * @param {Attrs} [attrs]
 * @param {Child[]} [children]
 */
function svg(tag, attrs, children) {
  return fill(document.createElementNS(SVG, tag), attrs, children);
}

/**
 * @template {Element} E
 * @param {E} node
 * @param {Attrs} [attrs]
 * @param {Child[]} [children]
 * @returns {E}
 */
function fill(node, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined) node.setAttribute(k, String(v));
  }
  for (const c of children || []) {
    if (c === null || c === undefined) continue;
    node.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return node;
}

// --- Formatting ---

/** @param {number | null | undefined} n */
function num(n) {
  return n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US');
}
/** @param {number | null | undefined} n */
function rate(n) {
  return n === null || n === undefined ? '–' : num(Math.round(n)) + ' rows/s';
}
/** @param {string | null | undefined} iso */
function time(iso) {
  return iso ? new Date(iso).toLocaleTimeString('en-GB') : '–';
}
/** @param {string | null | undefined} iso */
function day(iso) {
  return iso ? new Date(iso).toLocaleString('en-GB') : '–';
}
/** @param {number} ms */
function duration(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return (h ? h + ' h ' : '') + (h || m ? m + ' min ' : '') + (s % 60) + ' s';
}

// --- One load ---

/** @param {LoadView} load */
function progress(load) {
  const total = load.rowsRead;
  const pct = total ? Math.min(100, (100 * load.rowsProcessed) / total) : total === 0 ? 100 : null;
  const fillBar = el('div', { class: 'progress-fill' });
  const bar = el(
    'div',
    {
      class: 'progress-bar',
      role: 'progressbar',
      'aria-label': 'rows processed',
      'aria-valuemin': 0,
      'aria-valuemax': 100,
      'aria-valuenow': pct === null ? null : Math.floor(pct),
      'data-processed': load.rowsProcessed,
      'data-total': total,
    },
    [fillBar],
  );
  fillBar.style.width = (pct === null ? 0 : pct) + '%';
  const text =
    total === null
      ? num(load.rowsProcessed) + ' rows processed (the file is still being read)'
      : num(load.rowsProcessed) + ' of ' + num(total) + ' rows processed (' + Math.floor(pct ?? 0) + ' %)';
  return [bar, el('p', { class: 'progress-text' }, [text])];
}

/**
 * A list of counts, each row tagged `attr` = its key.
 * @param {string} cls
 * @param {string} attr
 * @param {[string, string, number | null | undefined][]} rows key, label, count
 */
function dl(cls, attr, rows) {
  return el(
    'dl',
    { class: cls },
    rows.map(([key, label, n]) => el('div', { [attr]: key }, [el('dt', {}, [label]), el('dd', {}, [num(n)])])),
  );
}

/**
 * Rows/s over time. x is time: each bucket is a step as wide as the time it covers (the last one
 * ends with the load), so the area under the line is the rows and its mean height is the average.
 * @param {LoadView} load
 */
function chart(load) {
  const [W, H, L, R, T, B] = [600, 170, 52, 10, 12, 24];
  const tp = load.throughput;
  const pts = tp?.series || [];
  const n = pts.length;
  const avg = tp?.rowsPerSec;
  const max = pts.reduce((m, p) => Math.max(m, p.rowsPerSec), avg || 0) || 1;
  const span = pts.reduce((s, p) => s + p.seconds, 0) || 1;
  /** @param {number} sec */
  const x = (sec) => L + (sec * (W - L - R)) / span;
  /** @param {number} v */
  const y = (v) => T + (H - T - B) * (1 - v / max);
  /** @type {[number, number][]} */
  const edges = [];
  pts.reduce((s, p) => {
    edges.push([s, s + p.seconds]);
    return s + p.seconds;
  }, 0);
  const kids = chartFrame(W, H, L, R, T, B, max);
  const first = pts[0];
  const last = pts[n - 1];
  if (first && last) {
    const line =
      'M' +
      x(0).toFixed(1) +
      ' ' +
      y(first.rowsPerSec).toFixed(1) +
      ' ' +
      pts
        .map((p, i) => (i ? 'V' + y(p.rowsPerSec).toFixed(1) + ' ' : '') + 'H' + x(edge(edges, i)[1]).toFixed(1))
        .join(' ');
    const endIso = new Date(Math.round(Date.parse(last.t) + last.seconds * 1000)).toISOString();
    kids.push(svg('text', { class: 'label', x: L, y: H - 6 }, [time(first.t)]));
    kids.push(
      svg('text', { class: 'label', x: W - R, y: H - 6, 'text-anchor': 'end', 'data-end': endIso }, [time(endIso)]),
    );
    kids.push(svg('path', { class: 'area', d: line + ' V' + (H - B) + ' H' + L + ' Z' }));
    kids.push(svg('path', { class: 'series', d: line }));
    if (avg !== null && avg !== undefined) {
      const at = y(avg).toFixed(1);
      const title = svg('title', {}, ['average: ' + rate(avg)]);
      kids.push(svg('line', { class: 'average', x1: L, y1: at, x2: W - R, y2: at, 'data-rows-per-sec': avg }, [title]));
    }
    pts.forEach((p, i) => {
      const [from, to] = edge(edges, i);
      const title = svg('title', {}, [time(p.t) + ': ' + rate(p.rowsPerSec) + ' over ' + p.seconds + ' s']);
      const point = { class: 'point', cx: x((from + to) / 2).toFixed(1), cy: y(p.rowsPerSec).toFixed(1), r: 2 };
      const data = { 'data-t': p.t, 'data-seconds': p.seconds, 'data-rows-per-sec': p.rowsPerSec };
      kids.push(svg('circle', { ...point, ...data }, [title]));
    });
  }
  const label = 'rows per second over time';
  const attrs = { class: 'throughput-chart', viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': label };
  return svg('svg', { ...attrs, 'data-points': n }, kids);
}

/**
 * @param {[number, number][]} edges
 * @param {number} i
 * @returns {[number, number]}
 */
function edge(edges, i) {
  return edges[i] ?? [0, 0];
}

/**
 * The throughput chart's axes and their labels.
 * @param {number} W @param {number} H @param {number} L @param {number} R @param {number} T @param {number} B
 * @param {number} max
 * @returns {Element[]}
 */
function chartFrame(W, H, L, R, T, B, max) {
  const mid = (H - B + T) / 2;
  return [
    svg('line', { class: 'axis', x1: L, y1: H - B, x2: W - R, y2: H - B }),
    svg('line', { class: 'axis', x1: L, y1: T, x2: L, y2: H - B }),
    svg('line', { class: 'axis', x1: L, y1: T, x2: W - R, y2: T, 'stroke-dasharray': '3 3' }),
    svg('text', { class: 'label', x: L - 6, y: T + 4, 'text-anchor': 'end' }, [num(Math.round(max))]),
    svg('text', { class: 'label', x: L - 6, y: H - B + 4, 'text-anchor': 'end' }, ['0']),
    svg('text', { class: 'label', x: 4, y: mid, transform: 'rotate(-90 10 ' + mid + ')' }, ['rows/s']),
  ];
}

/** @param {LoadView} load */
function rejects(load) {
  const byReason = load.rejectsByReason || {};
  const reasons = Object.keys(byReason);
  if (!reasons.length) return el('p', { class: 'muted rejects-none' }, ['No rejected rows.']);
  return el(
    'ol',
    { class: 'rejects' },
    reasons.map((r) =>
      el('li', { 'data-reason': r }, [
        el('span', { class: 'reason' }, [r]),
        el('span', { class: 'n' }, [num(byReason[r])]),
      ]),
    ),
  );
}

/** @param {LoadView} load */
function failed(load) {
  if (!load.failedChunks || !load.failedChunks.length) return null;
  const head = el('tr', {}, [
    el('th', { class: 'n' }, ['chunk']),
    el('th', { class: 'n' }, ['attempts']),
    el('th', {}, ['error']),
  ]);
  const rows = load.failedChunks.map((f) =>
    el('tr', { 'data-chunk': f.chunk }, [
      el('td', { class: 'n' }, [f.chunk]),
      el('td', { class: 'n' }, [f.attempts]),
      el('td', { class: 'error' }, [String(f.error).slice(0, 300)]),
    ]),
  );
  return el('div', { class: 'panel' }, [
    el('h3', {}, ['Failed chunks (npm run retry -- ' + load.loadId + ')']),
    el('table', { class: 'failed-chunks' }, [el('thead', {}, [head]), el('tbody', {}, rows)]),
  ]);
}

/** @param {LoadView} load */
function loadHead(load) {
  const end = load.finishedAt ? Date.parse(load.finishedAt) : Date.now();
  const took = (load.finishedAt ? 'took ' : 'running for ') + duration(end - Date.parse(load.startedAt));
  return el('header', { class: 'load-head' }, [
    el('h2', { class: 'load-id' }, [load.loadId]),
    el('span', { class: 'state state-' + load.state }, [load.state]),
    load.mode === 'mirror' ? el('span', { class: 'mode', 'data-mode': 'mirror' }, ['mirror']) : null,
    el('span', { class: 'file' }, [String(load.file).split('/').pop()]),
    el('span', { class: 'times' }, ['started ' + day(load.startedAt) + ' · ' + took]),
  ]);
}

/** @param {LoadView} load */
function rowsPanel(load) {
  return el('div', { class: 'panel' }, [
    el('h3', {}, ['Rows']),
    dl('counts', 'data-count', [
      ['rowsRead', 'read', load.rowsRead],
      ['rowsProcessed', 'processed', load.rowsProcessed],
      ['inserted', 'inserted', load.inserted],
      ['updated', 'updated', load.updated],
      ['unchanged', 'unchanged', load.unchanged],
      ['superseded', 'superseded', load.superseded],
      ['stale', 'stale', load.stale],
      ['rejected', 'rejected', load.rejected],
      ['normalized', 'normalized', load.normalized],
    ]),
  ]);
}

/** @param {ArchiveView['limit']} limit */
function limitText(limit) {
  return limit.count !== undefined
    ? num(limit.count) + ' documents'
    : Math.round((limit.share ?? 0) * 1000) / 10 + ' %';
}

/**
 * A mirror load's archive step: its stage, what it archived or would have, and its limit.
 * @param {LoadView} load
 */
function archivePanel(load) {
  const a = load.archive;
  if (!a) return null;
  const note =
    a.stage === 'refused'
      ? 'refused' +
        (a.reason ? ': ' + a.reason : '') +
        ' (confirm with npm run enqueue -- --load-id ' +
        load.loadId +
        ' --confirm-archive)'
      : a.stage === 'failed'
        ? 'failed' + (a.reason ? ': ' + a.reason : '')
        : a.stage + (a.confirmed ? ' (confirmed beyond the limit)' : '');
  return el('div', { class: 'panel archive', 'data-stage': a.stage }, [
    el('h3', {}, ['Archive (mirror load)']),
    el('p', { class: 'archive-stage stage-' + a.stage }, [note]),
    dl('archive-counts', 'data-archive', [
      ['archived', 'archived', a.archived],
      ['wouldArchive', 'to archive', a.wouldArchive],
    ]),
    el('p', { class: 'muted archive-limit' }, ['limit: ' + limitText(a.limit)]),
  ]);
}

/** @param {LoadView} load */
function throughputPanel(load) {
  const t = load.throughput;
  const c = load.chunks;
  const now = t?.currentRowsPerSec;
  /** @type {[string, string, number | null | undefined][]} */
  const chunks = [
    ['total', 'total', c?.total],
    ['completed', 'completed', c?.completed],
    ['failed', 'failed', c?.failed],
    ['pending', 'pending', c?.pending],
  ];
  if (load.missingChunks && load.missingChunks.length) {
    chunks.push(['missing', 'missing from the queue', load.missingChunks.length]);
  }
  return el('div', { class: 'panel' }, [
    el('h3', {}, ['Throughput']),
    el('div', { class: 'throughput' }, [
      el('div', { class: 'rate', 'data-rows-per-sec': t?.rowsPerSec }, [rate(t?.rowsPerSec)]),
      el('div', { class: 'rate-note' }, ['average' + (now !== null && now !== undefined ? ' · now ' + rate(now) : '')]),
    ]),
    el('h3', {}, ['Chunks']),
    dl('chunks', 'data-chunks', chunks),
  ]);
}

/** @param {LoadView} load */
function renderLoad(load) {
  const buckets = load.throughput?.bucketSeconds || '–';
  const chartPanel = el('div', { class: 'panel' }, [
    el('h3', {}, ['Rows/s over time (' + buckets + ' s buckets; dashed: the average)']),
    chart(load),
  ]);
  const rejectsPanel = el('div', { class: 'panel' }, [el('h3', {}, ['Rejects by reason']), rejects(load)]);
  return el('section', { class: 'load', 'data-load-id': load.loadId, 'data-state': load.state }, [
    loadHead(load),
    ...progress(load),
    el('div', { class: 'panels' }, [rowsPanel(load), throughputPanel(load), chartPanel]),
    el('div', { class: 'panels lists' }, [archivePanel(load), rejectsPanel, failed(load)]),
  ]);
}

// --- The chunks-in-flight limit ---

/**
 * The limit on chunks in flight across all workers, as a step line over the last hour.
 * @param {LimitChange[]} history
 */
function limitChart(history) {
  const [W, H, L, R, T, B] = [600, 90, 30, 10, 10, 20];
  const n = history.length;
  const first = history[0];
  const t0 = first ? Date.parse(first.at) : 0;
  const t1 = Date.now();
  const max = history.reduce((m, h) => Math.max(m, h.limit), 1);
  /** @param {number} t */
  const x = (t) => L + ((t - t0) * (W - L - R)) / Math.max(1, t1 - t0);
  /** @param {number} v */
  const y = (v) => T + (H - T - B) * (1 - v / max);
  const steps = history.map((h) => 'H' + x(Date.parse(h.at)).toFixed(1) + ' V' + y(h.limit).toFixed(1)).join(' ');
  const d = first
    ? 'M' + x(t0).toFixed(1) + ' ' + y(first.limit).toFixed(1) + ' ' + steps + ' H' + x(t1).toFixed(1)
    : '';
  const kids = [
    svg('line', { class: 'axis', x1: L, y1: H - B, x2: W - R, y2: H - B }),
    svg('text', { class: 'label', x: L - 6, y: T + 4, 'text-anchor': 'end' }, [num(max)]),
    svg('text', { class: 'label', x: L - 6, y: H - B + 4, 'text-anchor': 'end' }, ['0']),
    svg('path', { class: 'series', d: d }),
  ];
  if (first) kids.push(svg('text', { class: 'label', x: L, y: H - 4 }, [time(first.at)]));
  for (const h of history) {
    const at = { class: 'change', cx: x(Date.parse(h.at)).toFixed(1), cy: y(h.limit).toFixed(1), r: 2 };
    kids.push(
      svg('circle', { ...at, 'data-at': h.at, 'data-limit': h.limit }, [
        svg('title', {}, [time(h.at) + ': ' + h.limit]),
      ]),
    );
  }
  const label = 'chunks in flight limit over time';
  return svg(
    'svg',
    { class: 'limit-chart', viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': label, 'data-points': n },
    kids,
  );
}

/** @param {ConcurrencyView | null | undefined} c */
function renderConcurrency(c) {
  if (!c || c.limit === null || c.limit === undefined) return concurrencyBox.replaceChildren();
  concurrencyBox.setAttribute('data-limit', String(c.limit));
  const how =
    c.pinned === null
      ? 'adapted to the store (GLOBAL_CONCURRENCY=auto)'
      : 'pinned (GLOBAL_CONCURRENCY=' + c.pinned + ')';
  concurrencyBox.replaceChildren(
    el('div', {}, [
      el('h3', {}, ['Chunks in flight, all workers']),
      el('div', { class: 'rate' }, [num(c.limit)]),
      el('div', { class: 'rate-note' }, [how]),
    ]),
    c.history.length ? limitChart(c.history) : el('p', { class: 'muted' }, ['no changes in the last hour']),
  );
}

// --- Polling ---

/** @param {LoadView[]} loads */
function render(loads) {
  main.replaceChildren(
    ...(loads.length
      ? loads.map(renderLoad)
      : [el('p', { class: 'empty' }, ['No loads yet: run npm run enqueue -- <file>.'])]),
  );
  main.setAttribute('data-ready', 'true');
}

function refresh() {
  fetch(LOADS_URL, { cache: 'no-store', headers: { accept: 'application/json' } })
    .then((r) => {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    })
    .then((/** @type {{ loads: LoadView[]; concurrency: ConcurrencyView | null }} */ body) => {
      render(body.loads);
      renderConcurrency(body.concurrency);
      status.setAttribute('data-ok', 'true');
      status.setAttribute('data-updated-at', new Date().toISOString());
      status.textContent = 'updated ' + new Date().toLocaleTimeString('en-GB') + ' · every ' + REFRESH_MS / 1000 + ' s';
    })
    .catch((/** @type {Error} */ err) => {
      status.setAttribute('data-ok', 'false');
      status.textContent = 'refresh failed (' + err.message + '), retrying';
    })
    .then(() => {
      setTimeout(refresh, REFRESH_MS);
    });
}

refresh();
