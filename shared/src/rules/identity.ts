import { createHash } from 'node:crypto';
import { COLUMNS } from '../schema/columns.js';
import type { Admission } from './validate.js';

/**
 * The identity of an admission: normalized Name, Gender, Blood Type, Date of Admission and
 * Hospital (compared case-insensitively). Rows with the same identity are one document.
 */
export function identityKey(a: Admission): string {
  return [
    a.Name,
    a.Gender,
    a['Blood Type'],
    a['Date of Admission'].toISOString().slice(0, 10),
    a.Hospital.toLowerCase(),
  ].join('\u001f');
}

/** Deterministic document _id: the same admission gets the same _id in every load. */
export function admissionId(a: Admission): string {
  return createHash('sha256').update(identityKey(a)).digest('base64url').slice(0, 24);
}

/** Hash of all 15 normalized values: equal hashes mean an identical row ("unchanged"). */
export function contentHash(a: Admission): string {
  const values = COLUMNS.map((c) => {
    const v = a[c];
    return v instanceof Date ? v.toISOString() : v;
  });
  return createHash('sha256').update(JSON.stringify(values)).digest('base64url').slice(0, 22);
}
