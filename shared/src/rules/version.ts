/**
 * Row versions order every write: a later load beats an earlier one, and within a load a later
 * row beats an earlier one. version = loadSeq * ROWS_PER_LOAD + row, exact in a double up to
 * loadSeq ≈ 900,000.
 */
export const ROWS_PER_LOAD = 1e10;

export function rowVersion(loadSeq: number, row: number): number {
  if (!Number.isInteger(loadSeq) || loadSeq < 1) throw new RangeError(`bad load sequence ${loadSeq}`);
  if (!Number.isInteger(row) || row < 1 || row >= ROWS_PER_LOAD) throw new RangeError(`bad row ${row}`);
  return loadSeq * ROWS_PER_LOAD + row;
}
