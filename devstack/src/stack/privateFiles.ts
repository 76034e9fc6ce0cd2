import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes a file only the user may read (mode 0600), atomically. */
export function writePrivate(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** The stack folder and its data and log folders, private to the user. */
export function ensureDirs(dir: string): void {
  for (const sub of ['', 'redis', 'mongo', 'logs']) mkdirSync(join(dir, sub), { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}
