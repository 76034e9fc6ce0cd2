import type { ArchiveLimit } from '../store/archiveDoc.js';

/** The default --max-archive: 10 % of the collection. */
export const DEFAULT_ARCHIVE_LIMIT: ArchiveLimit = { share: 0.1 };

/** `--max-archive N|P%`: a number of documents, or a percentage of the collection; undefined when not one. */
export function parseArchiveLimit(text: string): ArchiveLimit | undefined {
  const share = /^(\d+(?:\.\d+)?)\s*%$/.exec(text.trim());
  if (share) {
    const pct = Number(share[1]);
    return pct <= 100 ? { share: pct / 100 } : undefined;
  }
  return /^\d+$/.test(text.trim()) ? { count: Number(text.trim()) } : undefined;
}

/** The most documents a limit allows out of a collection of `patients` documents. */
export function archiveAllowance(limit: ArchiveLimit, patients: number): number {
  return 'count' in limit ? limit.count : Math.floor(limit.share * patients);
}

const n = (v: number) => v.toLocaleString('en-US');

/** A limit as the report shows it: "10 % of 102,400", or "5,000" (the collection's size when known). */
export function describeArchiveLimit(limit: ArchiveLimit, patients?: number): string {
  if ('count' in limit) return n(limit.count);
  const pct = `${+(limit.share * 100).toFixed(4)} %`;
  return patients === undefined ? pct : `${pct} of ${n(patients)}`;
}
