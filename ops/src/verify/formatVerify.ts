import type { ArchivedCheck } from './verifyArchived.js';
import type { VerifyOutcome, VerifyResult } from './verifyFile.js';

const n = (x: number) => x.toLocaleString('en-US');

/** The audit as text: counts, the fields that differ (with a first row each), no patient values unless asked. */
export function formatVerify(r: VerifyResult): string {
  const lines = [
    `file        ${r.file} (sha256 ${r.sha256.slice(0, 16)}…): ${n(r.rows)} rows, ${n(r.admissions)} admissions, ${n(r.rejectedInFile)} rows rejected by the rules`,
    `admissions  ${n(r.matching)} matching, ${n(r.missing)} missing, ${n(r.differing)} differing`,
  ];
  if (r.missing > 0) lines.push(`missing     first rows: ${r.missingRows.join(', ')}`);
  for (const f of r.differingFields)
    lines.push(`differing   ${f.field}: ${n(f.admissions)} admission(s) (first row ${f.firstRow})`);
  if (r.load) {
    const same = r.load.rejectedStored === r.rejectedInFile && r.load.reasonsDiffer.length === 0;
    lines.push(
      `rejects     ${n(r.load.rejectedStored)} stored for load ${r.load.loadId}, ${n(r.rejectedInFile)} in the file: ` +
        (same
          ? 'the same'
          : `they differ${r.load.reasonsDiffer.length ? ` (reasons: ${r.load.reasonsDiffer.join('; ')})` : ''}`),
    );
  } else lines.push('rejects     no load of this file was found: nothing to compare (--load-id names one)');
  if (r.extra !== null) lines.push(`extra       ${n(r.extra)} document(s) of no admission of this file (--exact)`);
  if (r.archived) lines.push(archivedLine(r.archived));
  for (const v of r.values) lines.push(`value       row ${v.row} ${v.field}: file ${v.file}, stored ${v.stored}`);
  lines.push(`result      ${RESULT_LINES[r.result]}`);
  return `${lines.join('\n')}\n`;
}

/** verify --archived: what the mirror load archived, and the differences found. */
function archivedLine(a: ArchivedCheck): string {
  const since = `${n(a.restored)} restored since, ${n(a.writtenSince)} written again by a later load`;
  const counted = a.recorded !== null && a.recorded !== a.archived ? `, the load recorded ${n(a.recorded)}` : '';
  const head = `archived    ${n(a.archived)} by load ${a.loadId} (archive ${a.stage ?? 'not started'}${counted}): `;
  if (a.ok) return `${head}none in the file, none left in patients; ${since}`;
  const differ = [
    a.inFile ? `${n(a.inFile)} the file holds (rows ${a.inFileRows.join(', ')})` : '',
    a.inPatients ? `${n(a.inPatients)} still in patients` : '',
    a.malformed ? `${n(a.malformed)} not as the archive step writes them` : '',
  ].filter(Boolean);
  return `${head}DIFFER: ${differ.join('; ') || 'count'}; ${since}`;
}

const RESULT_LINES: Record<VerifyOutcome, string> = {
  OK: 'OK: the store holds exactly what the file says',
  MISMATCH: 'MISMATCH',
  REJECTS_NOT_COMPARED: 'ADMISSIONS OK, REJECTS NOT COMPARED: no load of this file was found (give --load-id)',
};
