import type { Job } from 'bullmq';
import { parseChunkJobId } from '@hcingest/shared';

export interface ChunkRef {
  loadId: string;
  chunk: number;
}

/**
 * The load and chunk a job is about, for logs and failure records: from its payload, or, when
 * the payload is not a chunk job, from its id (the producer's `<loadId>.<chunk>`).
 */
export function chunkRefOf(job: Pick<Job, 'id' | 'data'>): ChunkRef | undefined {
  const data: unknown = job.data;
  if (typeof data === 'object' && data !== null) {
    const { loadId, chunk } = data as Record<string, unknown>;
    if (typeof loadId === 'string' && loadId !== '' && Number.isSafeInteger(chunk) && (chunk as number) >= 0) {
      return { loadId, chunk: chunk as number };
    }
  }
  return parseChunkJobId(job.id);
}
