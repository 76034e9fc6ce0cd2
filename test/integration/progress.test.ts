import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '../harness/expectations.js';
import { isolatedEnv, ROOT, run, SCRIPTS, startWorker } from '../harness/processes.js';

describe('progress of --wait', function () {
  const dir = mkdtempSync(join(tmpdir(), 'hc-progress-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints plain progress lines when stderr is not a terminal, and a bar with rate and ETA on a terminal', async function () {
    const env = isolatedEnv('progress', { FAULT_CHUNK_DELAY_MS: '300', POLL_INTERVAL_MS: '100' });
    const worker = await startWorker(env);
    try {
      const plainFile = join(dir, 'plain.csv');
      await generate(plainFile, 1500, 42);
      const plain = await run(SCRIPTS.enqueue, [plainFile, '--chunk-size', '250', '--wait'], env);
      expect(plain.code, plain.stderr).to.equal(0);
      expect(plain.stderr).to.match(/load L[0-9a-f]+: [\d,]+\/1,500 rows \([\d.]+%\), chunks \d+\/6/);
      expect(plain.stdout).to.include('COMPLETED');

      const which = spawnSync('sh', ['-c', 'command -v script'], { encoding: 'utf8' });
      if (which.status !== 0) {
        console.log('      skipped the terminal part: util-linux `script` (to give the command a terminal) is absent');
        return;
      }
      const ttyFile = join(dir, 'tty.csv');
      await generate(ttyFile, 1500, 43);
      // `script` runs the command on a pseudo-terminal and copies what it prints.
      const cmd = `${process.execPath} ${SCRIPTS.status} --help >/dev/null; ${process.execPath} ${SCRIPTS.enqueue} ${ttyFile} --chunk-size 250 --wait`;
      const tty = spawnSync('script', ['-qefc', cmd, '/dev/null'], {
        cwd: ROOT,
        env: { ...process.env, ...env },
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(tty.status, tty.stderr).to.equal(0);
      expect(tty.stdout).to.match(/\|[█░]+\| \d+% [\d]+\/1500 rows \| \d+ rows\/s \| ETA/);
      expect(tty.stdout).to.include('COMPLETED');
    } finally {
      await worker.stop();
    }
  });
});
