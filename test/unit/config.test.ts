import { expect } from 'chai';
import {
  clusterSeeds,
  ConfigError,
  credentialsOf,
  describeRedis,
  hasHashTag,
  loadConfig,
  parseSeed,
  writeConcernOf,
} from '@hcingest/shared';
import { loadProducerConfig } from '@hcingest/producer';
import { loadWorkerConfig } from '@hcingest/worker';

function configError(env: NodeJS.ProcessEnv, load: (env: NodeJS.ProcessEnv) => unknown = loadConfig): ConfigError {
  try {
    load(env);
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return err as ConfigError;
  }
  return expect.fail(`expected ${JSON.stringify(Object.keys(env))} to be refused`);
}

describe('shared/config loadConfig', () => {
  it('gives the defaults for an empty environment', () => {
    const config = loadProducerConfig({});
    expect(config.DB_NAME).to.equal('healthcare');
    expect(config.COLLECTION_NAME).to.equal('patients');
    expect(config.CHUNK_SIZE).to.equal(1000);
    expect(config.MONGO_URL).to.equal('mongodb://127.0.0.1:27017');
    expect(config.REDIS_URL).to.equal('redis://127.0.0.1:6379');
    expect(config.LOG_LEVEL).to.equal('info');
  });

  it('reads values from the given environment, coercing numbers', () => {
    const config = loadProducerConfig({
      CHUNK_SIZE: '250',
      DB_NAME: 'hc_test',
      MONGO_URL: 'mongodb://u:p@db:27017/?x=1',
    });
    expect(config.CHUNK_SIZE).to.equal(250);
    expect(config.DB_NAME).to.equal('hc_test');
    expect(config.MONGO_URL).to.equal('mongodb://u:p@db:27017/?x=1');
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ PATH: '/usr/bin', HOME: '/root' }).DB_NAME).to.equal('healthcare');
  });

  it('refuses a non-numeric CHUNK_SIZE with a ConfigError naming the variable', () => {
    const err = configError({ CHUNK_SIZE: 'abc' }, loadProducerConfig);
    expect(err.name).to.equal('ConfigError');
    expect(err.message).to.contain('CHUNK_SIZE');
  });

  it('refuses zero and negative counts', () => {
    expect(configError({ CHUNK_SIZE: '0' }, loadProducerConfig).message).to.contain('CHUNK_SIZE');
    expect(configError({ WORKER_CONCURRENCY: '-2' }, loadWorkerConfig).message).to.contain('WORKER_CONCURRENCY');
  });

  it('names a bad MONGO_URL without echoing the password it contains', () => {
    const err = configError({ MONGO_URL: 'http://user:s3cret@x' });
    expect(err.message).to.contain('MONGO_URL');
    expect(err.message).not.to.contain('s3cret');
  });

  it('names a bad REDIS_URL without echoing the password it contains', () => {
    const err = configError({ REDIS_URL: 'http://:s3cret@x:6379' });
    expect(err.message).to.contain('REDIS_URL');
    expect(err.message).not.to.contain('s3cret');
  });

  it('refuses a database name with characters MongoDB does not allow', () => {
    expect(configError({ DB_NAME: 'a b' }).message).to.contain('DB_NAME');
    expect(configError({ COLLECTION_NAME: 'x.y' }).message).to.contain('COLLECTION_NAME');
  });

  it('journals every write by default, and maps MONGO_WRITE_CONCERN to the driver write concern', () => {
    expect(loadConfig({}).MONGO_WRITE_CONCERN).to.equal('journaled');
    expect(writeConcernOf(loadConfig({}).MONGO_WRITE_CONCERN)).to.deep.equal({ w: 1, journal: true });
    expect(writeConcernOf(loadConfig({ MONGO_WRITE_CONCERN: 'majority' }).MONGO_WRITE_CONCERN)).to.deep.equal({
      w: 'majority',
      journal: true,
    });
    expect(writeConcernOf(loadConfig({ MONGO_WRITE_CONCERN: 'acknowledged' }).MONGO_WRITE_CONCERN)).to.deep.equal({
      w: 1,
      journal: false,
    });
    expect(configError({ MONGO_WRITE_CONCERN: 'j1' }).message).to.contain('MONGO_WRITE_CONCERN');
  });

  it('reads MAX_REJECT_RATE as a fraction or a percentage, and refuses anything outside 0..1', () => {
    expect(loadProducerConfig({}).MAX_REJECT_RATE).to.equal(0.05);
    expect(loadProducerConfig({ MAX_REJECT_RATE: '0.2' }).MAX_REJECT_RATE).to.equal(0.2);
    expect(loadProducerConfig({ MAX_REJECT_RATE: '25%' }).MAX_REJECT_RATE).to.equal(0.25);
    expect(loadProducerConfig({ MAX_REJECT_RATE: '0' }).MAX_REJECT_RATE).to.equal(0);
    for (const bad of ['120%', '1.5', '-1', 'lots']) {
      expect(configError({ MAX_REJECT_RATE: bad }, loadProducerConfig).message, bad).to.contain('MAX_REJECT_RATE');
    }
  });

  it('names every bad variable at once', () => {
    const err = configError({ CHUNK_SIZE: 'abc', LOG_LEVEL: 'loud' }, loadProducerConfig);
    expect(err.message).to.contain('CHUNK_SIZE').and.to.contain('LOG_LEVEL');
  });
});

describe('shared/config Redis Cluster settings', () => {
  const seeds = '10.0.0.1:7000,10.0.0.2:7001, redis-c.internal:7002';

  it('reads REDIS_CLUSTER_NODES as host:port seeds, IPv6 in brackets; empty means one Redis', () => {
    expect(clusterSeeds(loadConfig({}))).to.deep.equal([]);
    const config = loadConfig({ REDIS_CLUSTER_NODES: seeds, QUEUE_PREFIX: '{hcingest}' });
    expect(clusterSeeds(config)).to.deep.equal([
      { host: '10.0.0.1', port: 7000 },
      { host: '10.0.0.2', port: 7001 },
      { host: 'redis-c.internal', port: 7002 },
    ]);
    expect(parseSeed('[::1]:6379')).to.deep.equal({ host: '::1', port: 6379 });
  });

  it('refuses a seed that is not host:port, naming it and the variable', () => {
    for (const bad of ['10.0.0.1', 'redis://10.0.0.1:7000', '10.0.0.1:0', '10.0.0.1:70000', 'a:1,,b']) {
      const err = configError({ REDIS_CLUSTER_NODES: bad, QUEUE_PREFIX: '{hcingest}' });
      expect(err.message, bad).to.include('REDIS_CLUSTER_NODES').and.include('host:port');
    }
  });

  it('tells a hash tag as Redis hashes it: the first {...} that is not empty', () => {
    expect(hasHashTag('{hcingest}')).to.equal(true);
    expect(hasHashTag('prod{hc}')).to.equal(true);
    expect(hasHashTag('bull')).to.equal(false);
    expect(hasHashTag('{}hc')).to.equal(false);
    expect(hasHashTag('{hc')).to.equal(false);
    expect(hasHashTag('}hc{')).to.equal(false);
  });

  it('refuses a QUEUE_PREFIX without a hash tag on a cluster, saying what to set', () => {
    const err = configError({ REDIS_CLUSTER_NODES: seeds });
    expect(err.message)
      .to.include('QUEUE_PREFIX')
      .and.include('REDIS_CLUSTER_NODES')
      .and.include('QUEUE_PREFIX={hcingest}');
    // On one Redis any prefix does.
    expect(loadConfig({ QUEUE_PREFIX: 'bull' }).QUEUE_PREFIX).to.equal('bull');
  });

  it('refuses a database other than 0 on a cluster, which has no other', () => {
    const err = configError({ REDIS_CLUSTER_NODES: seeds, QUEUE_PREFIX: '{hc}', REDIS_URL: 'redis://:pw@x:6379/2' });
    expect(err.message).to.include('REDIS_URL').and.include('database 2').and.not.include('pw@');
    expect(
      loadConfig({ REDIS_CLUSTER_NODES: seeds, QUEUE_PREFIX: '{hc}', REDIS_URL: 'redis://x:6379/0' }).REDIS_URL,
    ).to.equal('redis://x:6379/0');
  });

  it('checks the cluster settings only for a command that uses Redis', () => {
    expect(loadConfig({ REDIS_CLUSTER_NODES: seeds }, { secrets: ['MONGO_URL'] }).QUEUE_PREFIX).to.equal('bull');
  });

  it('names the cluster seeds or the single server in messages, never the password', () => {
    expect(describeRedis(loadConfig({ REDIS_URL: 'redis://:secret@h:1/0' }))).to.equal('Redis at h:1 (REDIS_URL)');
    const onCluster = describeRedis(
      loadConfig({ REDIS_URL: 'redis://:secret@h:1', REDIS_CLUSTER_NODES: 'a:1,b:2', QUEUE_PREFIX: '{x}' }),
    );
    expect(onCluster).to.equal('Redis Cluster at a:1, b:2 (REDIS_CLUSTER_NODES)');
  });

  it("gives every cluster node REDIS_URL's user, password (decoded) and TLS for rediss://", () => {
    expect(credentialsOf('rediss://ops:p%40ss@ignored:6380')).to.deep.equal({
      username: 'ops',
      password: 'p@ss',
      tls: {},
    });
    expect(credentialsOf('redis://:secret@ignored')).to.deep.equal({ password: 'secret' });
    expect(credentialsOf('redis://127.0.0.1:6379')).to.deep.equal({});
  });
});
