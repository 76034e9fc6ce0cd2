import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadEnvFile, withEnvFileHint } from '@hcingest/shared';

describe('shared/envFile loadEnvFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hc-envfile-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, '.env'),
    '# a comment\nCHUNK_SIZE=250\nDB_NAME="from_file"\nexport LOG_LEVEL=debug\nQUEUE_PREFIX=\n',
  );
  writeFileSync(join(dir, 'other.env'), 'DB_NAME=other\n');

  it('adds the variables of .env in the working directory that the environment does not set', () => {
    const env: NodeJS.ProcessEnv = { DB_NAME: 'from_env' };
    const result = loadEnvFile(env, dir);
    expect(env).to.deep.equal({ DB_NAME: 'from_env', CHUNK_SIZE: '250', LOG_LEVEL: 'debug', QUEUE_PREFIX: '' });
    expect(result.path).to.equal(join(dir, '.env'));
    expect(result.applied).to.have.members(['CHUNK_SIZE', 'LOG_LEVEL', 'QUEUE_PREFIX']);
  });

  it('is no error when there is no .env', () => {
    const empty = mkdtempSync(join(tmpdir(), 'hc-envfile-none-'));
    try {
      const env: NodeJS.ProcessEnv = {};
      expect(loadEnvFile(env, empty)).to.deep.equal({ applied: [] });
      expect(env).to.deep.equal({});
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('reads the file ENV_FILE names, relative to the working directory', () => {
    const env: NodeJS.ProcessEnv = { ENV_FILE: 'other.env' };
    loadEnvFile(env, dir);
    expect(env.DB_NAME).to.equal('other');
  });

  it('refuses a file ENV_FILE names that cannot be read, naming the variable', () => {
    expect(() => loadEnvFile({ ENV_FILE: 'missing.env' }, dir))
      .to.throw(ConfigError)
      .with.property('message')
      .that.matches(/ENV_FILE: cannot read .*missing\.env \(ENOENT\)/);
  });

  it('reads nothing with ENV_FILE=off', () => {
    const env: NodeJS.ProcessEnv = { ENV_FILE: 'off' };
    expect(loadEnvFile(env, dir)).to.deep.equal({ applied: [] });
    expect(env).to.deep.equal({ ENV_FILE: 'off' });
  });

  it('points a settings error at the file the values came from', () => {
    expect(withEnvFileHint('bad', { path: '/x/.env', applied: ['A'] })).to.equal(
      'bad\n(settings read from /x/.env where the environment does not set them)',
    );
    expect(withEnvFileHint('bad', { path: '/x/.env', applied: [] })).to.equal('bad');
    expect(withEnvFileHint('bad', { applied: [] })).to.equal('bad');
  });
});
