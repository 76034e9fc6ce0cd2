import {
  rejectsByReason,
  type LoadDoc,
  findMissingChunks,
  toReport,
  type LoadReport,
  type ChunkQueue,
  type Store,
  withTimeout,
  type ArchiveLimit,
  type ArchiveStage,
} from '@hcingest/shared';
import { throughput, type Throughput } from './throughput.js';

/** A mirror load's archive step as the dashboard shows it, read from its load document. */
export interface ArchiveView {
  stage: ArchiveStage;
  limit: ArchiveLimit;
  /** documents moved to the archive (once done) */
  archived: number | null;
  /** what the step found to archive (also when refused) */
  wouldArchive: number | null;
  confirmed: boolean;
  /** why it was refused or failed */
  reason: string | null;
}

/**
 * What the dashboard shows of a load: the load report (as `status --json`) plus rejects and
 * throughput, and for a mirror load its mode and archive step (from the load document).
 */
export interface LoadView extends Omit<LoadReport, 'mode' | 'archive'> {
  /** present for mirror loads only */
  mode?: 'mirror';
  /** a mirror load's archive step */
  archive?: ArchiveView;
  /** rejected rows per reason (a row with several reasons counts under each), most frequent first */
  rejectsByReason: Record<string, number>;
  throughput: Throughput;
}

export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 200;
const CACHE_SIZE = 500;
/** Bound on looking for lost chunks in Redis, so the page still answers while Redis is down. */
const MISSING_CHECK_MS = 2000;

/**
 * Reads loads for the dashboard. Read-only: it never writes to MongoDB (the dashboard runs with
 * the reader account). The chunk results and rejects of a completed load no longer change, so
 * they are kept in memory instead of being read again on every refresh.
 */
export class LoadsReader {
  private readonly finished = new Map<string, { key: string; view: LoadView }>();

  constructor(
    private readonly store: Store,
    private readonly queue: ChunkQueue,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The latest loads, newest first. */
  async list(limit = DEFAULT_LIST_LIMIT): Promise<LoadView[]> {
    const docs = await this.store.loads
      .find({})
      .sort({ seq: -1 })
      .limit(Math.min(Math.max(1, limit), MAX_LIST_LIMIT))
      .toArray();
    return Promise.all(docs.map((doc) => this.view(doc)));
  }

  async get(loadId: string): Promise<LoadView | null> {
    const doc = await this.store.loads.findOne({ _id: loadId });
    return doc ? this.view(doc) : null;
  }

  private async view(doc: LoadDoc): Promise<LoadView> {
    // Keyed on the load document too: a completed load enqueued again gets new timestamps.
    const key = JSON.stringify(doc);
    const cached = this.finished.get(doc._id);
    if (cached?.key === key) return cached.view;

    const [results, failures, rejectsByReason] = await Promise.all([
      this.store.chunkResults.find({ loadId: doc._id }).toArray(),
      this.store.chunkFailures.find({ loadId: doc._id }).toArray(),
      this.rejectsByReason(doc._id),
    ]);
    const report: LoadReport = toReport(doc, results, failures);
    const missing = await this.missingChunks(report);
    if (missing.length > 0) report.missingChunks = missing;
    const running = report.state === 'running';
    const end = running ? this.now() : new Date(report.finishedAt ?? this.now());
    const view: LoadView = {
      ...report,
      ...mirrorView(doc),
      rejectsByReason,
      throughput: throughput(
        results.map((r) => ({ at: r.at, rows: r.counts.rows })),
        doc.startedAt,
        end,
        running,
      ),
    };
    if (report.state === 'completed') this.remember(doc._id, key, view);
    return view;
  }

  /** Chunks lost from the queue (as `status` names them); none when Redis does not answer in time. */
  private async missingChunks(report: LoadReport): Promise<number[]> {
    return withTimeout(findMissingChunks(this.store, this.queue, report), MISSING_CHECK_MS, 'redis').catch(() => []);
  }

  private remember(loadId: string, key: string, view: LoadView): void {
    this.finished.delete(loadId);
    this.finished.set(loadId, { key, view });
    if (this.finished.size > CACHE_SIZE) this.finished.delete(this.finished.keys().next().value!);
  }

  /** The load's rejects by reason, most frequent first (a row with several reasons counts under each). */
  private async rejectsByReason(loadId: string): Promise<Record<string, number>> {
    return Object.fromEntries((await rejectsByReason(this.store, loadId)).map((g) => [g.reason, g.rows]));
  }
}

/** A mirror load's mode and archive step; nothing for a merge load. */
export function mirrorView(doc: LoadDoc): Pick<LoadView, 'mode' | 'archive'> {
  if (doc.mode !== 'mirror') return {};
  const a = doc.archive;
  return {
    mode: 'mirror',
    archive: {
      stage: a?.stage ?? 'pending',
      limit: a?.limit ?? { share: 0.1 },
      archived: a?.archived ?? null,
      wouldArchive: a?.wouldArchive ?? null,
      confirmed: a?.confirmed === true,
      reason: a?.reason ?? null,
    },
  };
}
