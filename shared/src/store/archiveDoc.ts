import type { PatientDoc } from './patientDoc.js';

/**
 * A full extract loaded with `enqueue --mode mirror`: the admissions of the collection that its
 * file does not contain are moved to the archive collection (ARCHIVE_COLLECTION_NAME, default
 * `patients_archive`) once every chunk of the load is accounted, never deleted outright.
 */
export type LoadMode = 'merge' | 'mirror';

/** Where a mirror load's archive step stands. */
export type ArchiveStage =
  /** waiting for the load's chunks, and for every earlier load, to finish */
  | 'pending'
  /** moving documents (chunks of later loads wait until it ends) */
  | 'running'
  | 'done'
  /** more than the limit would have been archived, or the file has no valid row: nothing archived */
  | 'refused'
  /** the step failed for good (retry re-queues it) */
  | 'failed';

/** The most a mirror load may archive: a number of documents, or a share of the collection. */
export type ArchiveLimit = { count: number } | { share: number };

/** A mirror load's archive step, on its `loads` document. */
export interface ArchiveState {
  stage: ArchiveStage;
  limit: ArchiveLimit;
  /** `enqueue --load-id L --confirm-archive`: archive even beyond the limit */
  confirmed?: boolean;
  /** what the step found to archive (set before moving, and when refused) */
  wouldArchive?: number;
  /** documents in the collection when the step counted them (what a share limit is of) */
  patients?: number;
  /** documents moved to the archive by this load */
  archived?: number;
  /** why it was refused or failed, for the report (no patient data) */
  reason?: string;
  startedAt?: Date | null;
  finishedAt?: Date | null;
}

/** The archive collection: one document per mirror load and admission it archived. */
export interface ArchivedDoc {
  /** archivedDocId(loadId, admissionId): moving the same admission twice is one document */
  _id: string;
  admissionId: string;
  /** the mirror load that archived it */
  loadId: string;
  archivedAt: Date;
  /** the patients document as it was */
  doc: PatientDoc;
  /** set by `restore` when the admission was put back */
  restoredAt?: Date;
}

/** `mirror_rows`: one document per mirror load and admission its file contains (valid rows). */
export interface MirrorRowDoc {
  /** archivedDocId(loadId, admissionId) */
  _id: string;
  loadId: string;
}

export const archivedDocId = (loadId: string, admissionId: string) => `${loadId}:${admissionId}`;
