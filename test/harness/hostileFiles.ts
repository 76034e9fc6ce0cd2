import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COLUMNS } from '@hcingest/shared';

/**
 * Hostile input files, generated (no binary blobs in the repository).
 * Run `node test/dist/harness/hostileFiles.js <dir>` to write them for a manual try.
 */
export const GOOD = [
  'Ann Smith',
  '40',
  'Female',
  'A+',
  'Asthma',
  '2023-03-01',
  'Emily Wright',
  'Price PLC',
  'Aetna',
  '100.50',
  '101',
  'Urgent',
  '2023-03-09',
  'Aspirin',
  'Normal',
];

const header = COLUMNS.join(',');
const row = (overrides: Partial<Record<(typeof COLUMNS)[number], string>> = {}, name?: string) =>
  COLUMNS.map((c, i) => {
    const v = c === 'Name' && name !== undefined ? name : (overrides[c] ?? GOOD[i]!);
    return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  }).join(',');

export function hostileFiles(): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  files['empty.csv'] = Buffer.alloc(0);
  files['header-only.csv'] = Buffer.from(`${header}\n`);
  // Deterministic pseudo-random bytes, including invalid UTF-8 and NULs.
  let x = 12345;
  files['garbage.bin'] = Buffer.from(Array.from({ length: 4096 }, () => (x = (x * 1103515245 + 12345) >>> 0) >>> 24));
  // Latin-1: "José" with é as the single byte 0xE9.
  const latin1Body = `${header}\n${row({}, 'Jos\u00e9 Garc\u00eda')}\n${row({}, 'Ren\u00e9e Dupont')}\n`;
  files['latin1.csv'] = Buffer.from(latin1Body, 'latin1');
  files['unbalanced-quote.csv'] = Buffer.from(
    `${header}\n${row({}, 'Bo Lee')}\n${row({}, 'Cy Ray').replace('Cy Ray', '"Cy Ray')}\n`,
  );
  files['huge-field.csv'] = Buffer.from(`${header}\n${row({}, 'x'.repeat(10 * 1024 * 1024))}\n${row({}, 'Di Fox')}\n`);
  const wideHeader = [...COLUMNS, ...Array.from({ length: 10_000 - COLUMNS.length }, (_, i) => `extra${i}`)].join(',');
  const wideRow = (name: string) =>
    `${row({}, name)},${Array.from({ length: 10_000 - COLUMNS.length }, () => 'z').join(',')}`;
  files['ten-thousand-columns.csv'] = Buffer.from(`${wideHeader}\n${wideRow('Ed Wu')}\n${wideRow('Flo Ng')}\n`);
  files['nul-byte.csv'] = Buffer.from(`${header}\n${row({}, 'Gus\u0000Hay')}\n`);
  files['formula.csv'] = Buffer.from(
    `${header}\n${row({ Doctor: '=HYPERLINK("http://evil.example","click")' }, 'Hal Oz')}\n`,
  );
  return files;
}

export function writeHostileFiles(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return Object.entries(hostileFiles()).map(([name, content]) => {
    writeFileSync(join(dir, name), content);
    return name;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? 'test-output/hostile';
  console.log(writeHostileFiles(dir).join('\n'));
}
