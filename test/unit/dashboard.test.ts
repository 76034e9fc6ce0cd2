import { expect } from 'chai';
import { ConfigError, loadConfig } from '@hcingest/shared/config';
import { credentialsMatch, parseBasicAuth } from '@hcingest/producer/dashboard/auth';
import { chunkJobSummary } from '@hcingest/producer/dashboard/queues';
import { dashboardSettings } from '@hcingest/producer/dashboard/settings';
import { bucketSecondsFor, MAX_POINTS, throughput } from '@hcingest/producer/dashboard/throughput';

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
    const c = loadConfig({});
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
      expect(loadConfig({ DASHBOARD_HOST: host }).DASHBOARD_HOST, host).to.equal(host);
      expect(
        dashboardSettings(loadConfig({ DASHBOARD_HOST: host, DASHBOARD_AUTH: 'off' })).host,
        `${host} reaches the server's settings`,
      ).to.equal(host);
    }
    for (const host of ['', ' ', 'a b', '0.0.0.0:3000', 'http://127.0.0.1', '256.1.1.1', '1.2.3', '-x', 'host/']) {
      expect(() => loadConfig({ DASHBOARD_HOST: host }), JSON.stringify(host)).to.throw(ConfigError, /DASHBOARD_HOST/);
    }
  });

  it('reads DASHBOARD_READ_ONLY as true or false only, and a port', () => {
    expect(loadConfig({ DASHBOARD_READ_ONLY: 'true' }).DASHBOARD_READ_ONLY).to.equal(true);
    expect(loadConfig({ DASHBOARD_READ_ONLY: 'FALSE' }).DASHBOARD_READ_ONLY).to.equal(false);
    expect(() => loadConfig({ DASHBOARD_READ_ONLY: 'yes' })).to.throw(ConfigError, /DASHBOARD_READ_ONLY/);
    expect(() => loadConfig({ DASHBOARD_PORT: '70000' })).to.throw(ConfigError, /DASHBOARD_PORT/);
    expect(() => loadConfig({ DASHBOARD_AUTH: 'maybe' })).to.throw(ConfigError, /DASHBOARD_AUTH/);
  });

  it('refuses to start without a password, naming DASHBOARD_PASSWORD', () => {
    expect(() => dashboardSettings(loadConfig({}))).to.throw(ConfigError, /DASHBOARD_PASSWORD/);
  });

  it('starts without auth only when DASHBOARD_AUTH=off', () => {
    expect(dashboardSettings(loadConfig({ DASHBOARD_AUTH: 'off' })).credentials).to.equal(null);
    const s = dashboardSettings(loadConfig({ DASHBOARD_PASSWORD: 's3cret', DASHBOARD_USER: 'ops' }));
    expect(s.credentials).to.deep.equal({ user: 'ops', password: 's3cret' });
  });

  it('refuses the template placeholder in production without echoing it', () => {
    const env = {
      NODE_ENV: 'production',
      MONGO_URL: 'mongodb://reader:R3ad-S3cret@mongo:27017/healthcare',
      REDIS_URL: 'redis://:R3dis-S3cret@redis:6379/0',
    };
    expect(dashboardSettings(loadConfig({ ...env, DASHBOARD_PASSWORD: 'Dash-S3cret' })).credentials).to.not.equal(null);
    try {
      dashboardSettings(loadConfig({ ...env, DASHBOARD_PASSWORD: 'change-me-please' }));
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
    expect(t.series.map((p) => p.rowsPerSec)).to.deep.equal([100, 150, 0, 0, 25]);
    expect(t.series[1]!.t).to.equal('2024-05-01T10:00:02.000Z');
    expect(t.rowsPerSec).to.equal(55);
    expect(t.currentRowsPerSec).to.equal(null);
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

  it('has one empty point and no rate before any time passed', () => {
    const t = throughput([], start, start, true);
    expect(t.series).to.have.length(1);
    expect(t.rowsPerSec).to.equal(null);
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
