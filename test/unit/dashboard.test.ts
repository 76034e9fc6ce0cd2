import { expect } from 'chai';
import { ConfigError } from '@hcingest/shared';
import {
  credentialsMatch,
  parseBasicAuth,
  chunkJobSummary,
  withoutExternalResources,
  dashboardSettings,
  bucketSecondsFor,
  MAX_POINTS,
  RECENT_SECONDS,
  throughput,
  type Throughput,
  loadDashboardConfig,
} from '@hcingest/ops';

const basic = (s: string) => `Basic ${Buffer.from(s, 'utf8').toString('base64')}`;

describe('dashboard: basic auth', () => {
  const expected = { user: 'ops', password: 'pä:ss word' };

  it('parses user and password (the password may hold colons and any UTF-8)', () => {
    expect(parseBasicAuth(basic('ops:pä:ss word'))).to.deep.equal(expected);
    expect(parseBasicAuth(`basic   ${Buffer.from('a:').toString('base64')}`)).to.deep.equal({
      user: 'a',
      password: '',
    });
  });

  it('rejects missing, malformed and other schemes', () => {
    for (const h of [undefined, '', 'Bearer abc', 'Basic', 'Basic !!!', basic('no-colon')]) {
      expect(parseBasicAuth(h), String(h)).to.equal(null);
    }
  });

  it('matches only the exact user and password', () => {
    expect(credentialsMatch(parseBasicAuth(basic('ops:pä:ss word')), expected)).to.equal(true);
    expect(credentialsMatch(parseBasicAuth(basic('ops:pä:ss wor')), expected)).to.equal(false);
    expect(credentialsMatch(parseBasicAuth(basic('Ops:pä:ss word')), expected)).to.equal(false);
    expect(credentialsMatch(parseBasicAuth(basic(':')), expected)).to.equal(false);
    expect(credentialsMatch(null, expected)).to.equal(false);
  });
});

describe('dashboard: settings', () => {
  it('has the documented defaults', () => {
    const c = loadDashboardConfig({});
    expect([
      c.DASHBOARD_HOST,
      c.DASHBOARD_PORT,
      c.DASHBOARD_USER,
      c.DASHBOARD_PASSWORD,
      c.DASHBOARD_AUTH,
      c.DASHBOARD_READ_ONLY,
    ]).to.deep.equal(['127.0.0.1', 3000, 'admin', '', 'on', false]);
  });

  it('reads DASHBOARD_HOST as an IP address or a host name, refusing anything else by name', () => {
    for (const host of ['127.0.0.1', '0.0.0.0', '::', '::1', '10.1.2.3', 'localhost', 'dashboard.internal']) {
      expect(loadDashboardConfig({ DASHBOARD_HOST: host }).DASHBOARD_HOST, host).to.equal(host);
      expect(
        dashboardSettings(loadDashboardConfig({ DASHBOARD_HOST: host, DASHBOARD_AUTH: 'off' })).host,
        `${host} reaches the server's settings`,
      ).to.equal(host);
    }
    for (const host of ['', ' ', 'a b', '0.0.0.0:3000', 'http://127.0.0.1', '256.1.1.1', '1.2.3', '-x', 'host/']) {
      expect(() => loadDashboardConfig({ DASHBOARD_HOST: host }), JSON.stringify(host)).to.throw(
        ConfigError,
        /DASHBOARD_HOST/,
      );
    }
  });

  it('reads DASHBOARD_READ_ONLY as true or false only, and a port', () => {
    expect(loadDashboardConfig({ DASHBOARD_READ_ONLY: 'true' }).DASHBOARD_READ_ONLY).to.equal(true);
    expect(loadDashboardConfig({ DASHBOARD_READ_ONLY: 'FALSE' }).DASHBOARD_READ_ONLY).to.equal(false);
    expect(() => loadDashboardConfig({ DASHBOARD_READ_ONLY: 'yes' })).to.throw(ConfigError, /DASHBOARD_READ_ONLY/);
    expect(() => loadDashboardConfig({ DASHBOARD_PORT: '70000' })).to.throw(ConfigError, /DASHBOARD_PORT/);
    expect(() => loadDashboardConfig({ DASHBOARD_AUTH: 'maybe' })).to.throw(ConfigError, /DASHBOARD_AUTH/);
  });

  it('refuses to start without a password, naming DASHBOARD_PASSWORD', () => {
    expect(() => dashboardSettings(loadDashboardConfig({}))).to.throw(ConfigError, /DASHBOARD_PASSWORD/);
  });

  it('starts without auth only when DASHBOARD_AUTH=off', () => {
    expect(dashboardSettings(loadDashboardConfig({ DASHBOARD_AUTH: 'off' })).credentials).to.equal(null);
    const s = dashboardSettings(loadDashboardConfig({ DASHBOARD_PASSWORD: 's3cret', DASHBOARD_USER: 'ops' }));
    expect(s.credentials).to.deep.equal({ user: 'ops', password: 's3cret' });
  });

  it('refuses the template placeholder in production without echoing it', () => {
    const env = {
      NODE_ENV: 'production',
      MONGO_URL: 'mongodb://reader:R3ad-S3cret@mongo:27017/healthcare',
      REDIS_URL: 'redis://:R3dis-S3cret@redis:6379/0',
    };
    expect(
      dashboardSettings(loadDashboardConfig({ ...env, DASHBOARD_PASSWORD: 'Dash-S3cret' })).credentials,
    ).to.not.equal(null);
    try {
      dashboardSettings(loadDashboardConfig({ ...env, DASHBOARD_PASSWORD: 'change-me-please' }));
      expect.fail('accepted the placeholder');
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      expect((err as Error).message)
        .to.include('DASHBOARD_PASSWORD')
        .and.not.include('change-me-please');
    }
  });
});

describe('dashboard: throughput', () => {
  const start = new Date('2024-05-01T10:00:00Z');
  const at = (s: number) => new Date(start.getTime() + s * 1000);
  const sum = (t: Throughput, k: 'rows' | 'seconds') => t.series.reduce((n, p) => n + p[k], 0);
  /** What the chart shows on average: each bucket's rate weighted by the time it covers. */
  const chartMean = (t: Throughput) => t.series.reduce((n, p) => n + p.rowsPerSec * p.seconds, 0) / sum(t, 'seconds');
  /** Every bucket's rate is rounded to 0.1, and so is the average. */
  const ROUNDING = 0.1 + 1e-9;

  /** The chart and the average beside it say the same, over the load's whole duration. */
  function expectConsistent(t: Throughput, rows: number, seconds: number) {
    expect(sum(t, 'rows'), 'rows').to.equal(rows);
    expect(sum(t, 'seconds'), 'seconds covered').to.be.closeTo(seconds, 1e-9);
    const last = t.series[t.series.length - 1]!;
    expect(Date.parse(last.t) + last.seconds * 1000, 'the series ends with the load').to.be.closeTo(
      start.getTime() + seconds * 1000,
      1e-6,
    );
    expect(t.series[0]!.t).to.equal(start.toISOString());
    for (const p of t.series) expect(p.rowsPerSec, p.t).to.be.closeTo(p.rows / p.seconds, 0.05 + 1e-9);
    expect(chartMean(t), 'time-weighted mean of the series').to.be.closeTo(t.rowsPerSec!, ROUNDING);
  }

  it('buckets rows per time and adds up to the rows processed', () => {
    const results = [
      { at: at(0.5), rows: 100 },
      { at: at(1.5), rows: 100 },
      { at: at(3), rows: 300 },
      { at: at(9.9), rows: 50 },
    ];
    const t = throughput(results, start, at(10), false);
    expect(t.bucketSeconds).to.equal(2);
    expect(t.series.map((p) => p.rows)).to.deep.equal([200, 300, 0, 0, 50]);
    expect(t.series.map((p) => p.seconds)).to.deep.equal([2, 2, 2, 2, 2]);
    expect(t.series.map((p) => p.rowsPerSec)).to.deep.equal([100, 150, 0, 0, 25]);
    expect(t.series[1]!.t).to.equal('2024-05-01T10:00:02.000Z');
    expect(t.rowsPerSec).to.equal(55);
    expect(t.currentRowsPerSec).to.equal(null);
    expectConsistent(t, 550, 10);
  });

  it('agrees with the average on a short load: 10,000 rows over 3 s', () => {
    const results = Array.from({ length: 10 }, (_, i) => ({ at: at(0.3 * (i + 1)), rows: 1000 }));
    const t = throughput(results, start, at(3), false);
    expect(t.rowsPerSec).to.equal(3333.3);
    expect(t.bucketSeconds).to.equal(2);
    // The second bucket covers the load's last second only, and its rate is over that second.
    expect(t.series.map((p) => [p.seconds, p.rows, p.rowsPerSec])).to.deep.equal([
      [2, 6000, 3000],
      [1, 4000, 4000],
    ]);
    expectConsistent(t, 10_000, 3);
  });

  it('agrees with the average on a load shorter than a second (one partial bucket)', () => {
    // 200 rows in 60 ms: the chart said 200 rows/s (a partial bucket counted as 1 s) beside 3,333.
    const t = throughput([{ at: at(0.06), rows: 200 }], start, at(0.06), false);
    expect(t.rowsPerSec).to.equal(3333.3);
    expect(t.series).to.deep.equal([{ t: start.toISOString(), seconds: 0.06, rows: 200, rowsPerSec: 3333.3 }]);
    expectConsistent(t, 200, 0.06);
  });

  it('ends the series with the load: a short remainder joins the bucket before it', () => {
    // 10.5 s in 2 s buckets: four of 2 s, then the last 2.5 s (not a fifth of 2 s and a sixth of 0.5 s).
    const results = Array.from({ length: 21 }, (_, i) => ({ at: at(0.5 * (i + 1)), rows: 100 }));
    const t = throughput(results, start, at(10.5), false);
    expect(t.series.map((p) => p.seconds)).to.deep.equal([2, 2, 2, 2, 2.5]);
    expectConsistent(t, 2100, 10.5);
    // 11 s: the remainder is half a bucket, a bucket of its own.
    const u = throughput(results, start, at(11), false);
    expect(u.series.map((p) => p.seconds)).to.deep.equal([2, 2, 2, 2, 2, 1]);
    expectConsistent(u, 2100, 11);
  });

  it('agrees with the average for any load (spans from 10 ms to a day, uneven chunks)', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (const span of [0.01, 0.35, 1, 1.99, 2.01, 3, 7.3, 59, 181, 3599, 86_400]) {
      const results = Array.from({ length: 40 }, () => ({
        at: at(random() * span),
        rows: 1 + Math.floor(random() * 1000),
      }));
      const rows = results.reduce((n, r) => n + r.rows, 0);
      const t = throughput(results, start, at(span), false);
      expect(t.series.length, `${span} s`).to.be.within(1, MAX_POINTS);
      expectConsistent(t, rows, span);
    }
  });

  it('counts results stamped outside the window (other hosts’ clocks) in the first or last bucket', () => {
    const t = throughput(
      [
        { at: at(-3), rows: 10 },
        { at: at(30), rows: 20 },
      ],
      start,
      at(4),
      true,
    );
    expect(t.series.map((p) => p.rows)).to.deep.equal([10, 20]);
    expect(t.currentRowsPerSec).to.equal(7.5); // 30 rows within the last 4 s (the load is 4 s old)
    expectConsistent(t, 30, 4);
  });

  it('gives a load younger than RECENT_SECONDS a current rate equal to its average', () => {
    const t = throughput([{ at: at(0.2), rows: 1000 }], start, at(0.3), true);
    expect(t.currentRowsPerSec).to.equal(3333.3);
    expect(t.currentRowsPerSec).to.equal(t.rowsPerSec);
    const older = throughput(
      [
        { at: at(1), rows: 5000 },
        { at: at(25), rows: 1000 },
      ],
      start,
      at(30),
      true,
    );
    expect(older.currentRowsPerSec).to.equal(100); // 1000 rows in the last RECENT_SECONDS
    expect(RECENT_SECONDS).to.equal(10);
  });

  it('keeps long loads within MAX_POINTS points', () => {
    for (const span of [1, 59, 3600, 86_400, 30 * 86_400]) {
      const b = bucketSecondsFor(span);
      expect(Math.ceil(span / b), `${span} s`).to.be.at.most(MAX_POINTS);
    }
    const t = throughput([{ at: at(5000), rows: 7 }], start, at(7200), false);
    expect(t.series.length).to.be.at.most(MAX_POINTS);
    expect(t.series.reduce((n, p) => n + p.rows, 0)).to.equal(7);
  });

  it('has no points and no rates before any time passed', () => {
    const t = throughput([], start, start, true);
    expect(t.series).to.deep.equal([]);
    expect(t.rowsPerSec).to.equal(null);
    expect(t.currentRowsPerSec).to.equal(null);
  });
});

describe('dashboard: bull-board shows no patient rows', () => {
  it('summarises a chunk job without its records', () => {
    const data = {
      loadId: 'L1',
      chunk: 3,
      firstRow: 301,
      header: ['Name'],
      firstLine: 302,
      rows: 2,
      text: 'Bobby Jackson,30\nAnn Other,41',
    };
    const summary = chunkJobSummary(data);
    expect(summary).to.include({ loadId: 'L1', chunk: 3, firstRow: 301, records: 2 });
    expect(JSON.stringify(summary)).to.not.include('Bobby');
  });
});

describe('dashboard: bull-board loads nothing from another host', () => {
  it("drops the template's links and scripts to other hosts, keeping its own files", () => {
    const html = [
      '<head><base href="/queues/" />',
      '<link rel="icon" href="static/images/logo.svg">',
      '<link href="https://fonts.googleapis.com/css2?family=IBM+Plex+Sans" rel="stylesheet">',
      '<link rel=preconnect href=//fonts.gstatic.com crossorigin>',
      '<link href="static/css/main.css" rel="stylesheet"></head>',
      '<body><script defer src="HTTPS://cdn.example/x.js"></script><script defer src="static/js/main.js"></script>',
      '<a href="https://github.com/felixmosh/bull-board">docs</a></body>',
    ].join('\n');
    const out = withoutExternalResources(html);
    expect(out).to.not.match(/googleapis|gstatic|cdn\.example/);
    for (const kept of [
      'static/images/logo.svg',
      'static/css/main.css',
      'static/js/main.js',
      '<base href="/queues/" />',
    ])
      expect(out).to.include(kept);
    // A link the user may click is no resource the page loads.
    expect(out).to.include('https://github.com/felixmosh/bull-board');
  });
});
