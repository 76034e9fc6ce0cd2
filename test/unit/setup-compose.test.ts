import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../harness/paths.js';

/** `npm run setup -- --for compose` (npm run test:compose's first step) refusing a wrong engine setting. */
describe('setup --for compose: the engine setting', function () {
  this.timeout(60_000);

  function setup(engine: string) {
    return spawnSync(process.execPath, [join(ROOT, 'scripts/setup.mjs'), '--for', 'compose'], {
      encoding: 'utf8',
      env: { ...process.env, COMPOSE_ENGINE: engine },
    });
  }

  it('refuses a COMPOSE_ENGINE that is neither docker nor podman, naming it, and blames no apt', () => {
    const r = setup('dockr');
    expect(r.status).to.equal(1);
    expect(r.stderr).to.include('COMPOSE_ENGINE must be docker or podman, got "dockr"');
    expect(r.stderr).to.not.include('apt-get');
  });

  it('says that no Docker engine answers when COMPOSE_ENGINE=docker finds none', function () {
    const docker = spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 });
    if (docker.status === 0) {
      console.log('      skipped: a Docker engine answers on this machine');
      return this.skip();
    }
    const r = setup('docker');
    expect(r.status).to.equal(1);
    expect(r.stderr).to.include('COMPOSE_ENGINE=docker, but no Docker engine answers `docker info`');
    expect(r.stderr).to.not.include('compose plugin');
  });
});
