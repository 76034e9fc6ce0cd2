#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { settingsFiles } from '../settings/settingsFiles.js';

const HELP = `Usage: npm run settings [-- --check]

Writes the settings table of docs/deployment.md (between its settings markers) and .env.template
from the settings schemas of every process (each setting's convict doc), and of npm start, the
tests and docker-compose.yml.

Options:
  --check   write nothing; exit 1, naming each stale file, when one differs from what would be written
  -h, --help

Exit codes: 0 written (or up to date), 1 stale (--check), 2 bad usage or a file without the markers.
`;

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function main(argv: string[]): number {
  let check: boolean;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { check: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    check = values.check === true;
  } catch (err) {
    process.stderr.write(`settings: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  let files;
  try {
    files = settingsFiles(ROOT);
  } catch (err) {
    process.stderr.write(`settings: ${(err as Error).message}\n`);
    return 2;
  }
  const stale = files.filter((f) => f.current !== f.expected);
  if (check) {
    for (const f of stale) process.stderr.write(`settings: ${f.path} is stale: run npm run settings\n`);
    return stale.length > 0 ? 1 : 0;
  }
  for (const f of stale) {
    writeFileSync(join(ROOT, f.path), f.expected);
    process.stdout.write(`settings: wrote ${f.path}\n`);
  }
  if (stale.length === 0) process.stdout.write('settings: up to date\n');
  return 0;
}

process.exitCode = main(process.argv.slice(2));
