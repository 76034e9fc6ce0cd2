import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../paths.js';
import { Refused } from '../stack/runningStack.js';

export const USAGE = `Usage: npm start -- [file] [--workers N] [--keep] [--reset]

Loads a CSV file of admissions on a local stack that it sets up and runs itself:
Redis and SecantusDB (a MongoDB wire-protocol server on WiredTiger) with auth on, data under
.hcingest/stack; the MongoDB accounts from db:init; N workers (as the writer account); the
dashboard (as the reader); then enqueue --wait with a progress bar, and the report.
Sets up what is missing first (redis-server from apt, SecantusDB with pip, npm ci, the build).

Arguments:
  file            the CSV file to load (default: the synthetic sample
                  data/synthetic_healthcare_dataset.csv, generated when absent)

Options:
  --workers <n>   worker processes (default 2)
  --keep          leave the stack running after the load (stop it with: npm run stop)
  --reset         wipe the local stack's data and passwords first
  -h, --help      this help

Settings (environment or .env): REDIS_URL / MONGO_URL use servers of your own instead of starting
them (MONGO_URL: an account that may create users, or the writer with the accounts already made);
LOCAL_STACK_DIR, LOCAL_REDIS_PORT, LOCAL_MONGO_PORT (default: free ports), DASHBOARD_PORT
(default 3000, or a free port when 3000 is taken), DB_NAME, and every setting of the commands.
Passwords are generated into .hcingest/stack/credentials.env (mode 0600) and never printed.

Exit codes: those of enqueue --wait (0 completed, 1 failed, 2 refused, 4 too many rejects,
130 interrupted: run the same command again to resume), 1 when the stack cannot start.`;

export interface StartOptions {
  /** the file as given, when one was */
  given?: string;
  /** the file to load (the synthetic sample when none was given) */
  file: string;
  workers: number;
  keep: boolean;
  reset: boolean;
}

/** The command line of npm start; prints the usage and exits 0 on --help. */
export function parseStartOptions(argv: string[] = process.argv.slice(2)): StartOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        workers: { type: 'string' },
        keep: { type: 'boolean', default: false },
        reset: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new Refused(`${(err as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (positionals.length > 1) throw new Refused(`one file at a time (got ${positionals.length})\n\n${USAGE}`);
  const workers = values.workers === undefined ? 2 : Number(values.workers);
  if (!/^[1-9]\d*$/.test(values.workers ?? '2') || workers > 64)
    throw new Refused(`--workers must be an integer from 1 to 64, got "${values.workers}"`);
  const given = positionals[0];
  return { given, file: inputFile(given), workers, keep: values.keep, reset: values.reset };
}

/** The file to load: the one given (it must be a file), else the synthetic sample. */
function inputFile(given: string | undefined): string {
  if (given === undefined) return join(ROOT, 'data', 'synthetic_healthcare_dataset.csv');
  const file = resolve(process.cwd(), given);
  if (!existsSync(file)) throw new Refused(`no such file: ${given}`);
  if (statSync(file).isDirectory()) throw new Refused(`${given} is a directory: give one CSV file`);
  return file;
}

/** A port setting: undefined for a free one (unset, empty or 0). */
export function portSetting(name: string, env: NodeJS.ProcessEnv): number | undefined {
  const v = env[name];
  if (v === undefined || v === '' || v === '0') return undefined;
  if (!/^\d+$/.test(v) || Number(v) > 65535)
    throw new Refused(`${name} must be a port number (0 for a free one), got "${v}"`);
  return Number(v);
}
