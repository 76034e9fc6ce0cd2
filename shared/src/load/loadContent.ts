import type { Store } from '../store/collections.js';
import type { LoadDoc } from '../store/loadDoc.js';
import type { FileScan } from '../file/scanFile.js';

/**
 * The content a load was recorded from: the hash of its decompressed bytes. A load recorded
 * before contentSha256 was kept has only the hash of the bytes as given, which is the same for a
 * plain file (a gzip file's older load is then found by neither form of its content).
 */
export function loadContentSha256(doc: Pick<LoadDoc, 'file'>): string {
  return doc.file.contentSha256 ?? doc.file.sha256;
}

/** Whether the load was recorded from this content (the same file, or it compressed or not). */
export function isSameContent(doc: Pick<LoadDoc, 'file'>, scan: Pick<FileScan, 'contentSha256'>): boolean {
  return loadContentSha256(doc) === scan.contentSha256;
}

/** The latest load of this content, whichever of its forms (plain or gzip) it was read from. */
export async function latestLoadOfContent(store: Store, contentSha256: string): Promise<LoadDoc | null> {
  const [latest] = await store.loads
    .find({ $or: [{ 'file.contentSha256': contentSha256 }, { 'file.sha256': contentSha256 }] })
    .sort({ seq: -1 })
    .limit(1)
    .toArray();
  return latest ?? null;
}
