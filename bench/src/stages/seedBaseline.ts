import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PATIENT_QUERY_INDEXES } from '@hcingest/shared';
import { ROOT } from '../paths.js';

/** The Python of the bench's own virtual environment, with pandas and pymongo installed on first use. */
function benchPython(say: (msg: string) => void): string {
  const venv = join(process.env.XDG_CACHE_HOME ?? join(process.env.HOME ?? tmpdir(), '.cache'), 'hcingest-bench-venv');
  const python = join(venv, 'bin', 'python');
  if (!existsSync(python)) {
    say(`installing pandas and pymongo into ${venv}`);
    const mk = spawnSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    if (mk.status !== 0) throw new Error('python3 -m venv failed');
    const pip = spawnSync(join(venv, 'bin', 'pip'), ['install', '-q', 'pandas==2.*', 'pymongo==4.*'], {
      stdio: 'inherit',
    });
    if (pip.status !== 0) throw new Error('pip install pandas pymongo failed');
  }
  return python;
}

/** The seed's approach (pandas + pymongo, bench/seed_baseline.py) on the same file, into `dbName`. */
export function seedBaseline(
  file: string,
  o: { mongoUrl: string; dbName: string; say: (msg: string) => void },
): { rowsPerSec: number } {
  const python = benchPython(o.say);
  // The same query indexes as the project's load ends with, built the fastest way (after the insert).
  const indexes = JSON.stringify(PATIENT_QUERY_INDEXES.map(({ key, name }) => ({ key, name })));
  const r = spawnSync(python, [join(ROOT, 'bench', 'seed_baseline.py'), file, o.mongoUrl, o.dbName, indexes], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`seed baseline failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { rows: number; seconds: number };
  return { rowsPerSec: Math.round(out.rows / out.seconds) };
}
