import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Express, RequestHandler } from 'express';
import type { ChunkJobData } from '@hcingest/shared/queue/chunkJob';
import type { ChunkQueue } from '@hcingest/shared/queue/chunkQueue';

/**
 * What bull-board shows of a chunk job's data: where the chunk is, never its records (they are
 * patient rows). Editing or adding jobs from this summary would make broken chunks, so those two
 * actions are refused (see `refuseDataActions`).
 */
export function chunkJobSummary(data: unknown): Record<string, unknown> {
  const d = (data ?? {}) as Partial<ChunkJobData>;
  return {
    loadId: d.loadId,
    chunk: d.chunk,
    firstRow: d.firstRow,
    records: d.rows,
    bytes: typeof d.text === 'string' ? Buffer.byteLength(d.text) : undefined,
    note: 'the records are not shown (patient data)',
  };
}

/** Refuses bull-board's "add job" and "update job data" API calls: chunk jobs come from enqueue only. */
export const refuseDataActions: RequestHandler = (req, res, next) => {
  const path = req.path;
  if (
    (req.method === 'POST' && /^\/api\/queues\/[^/]+\/add\/?$/.test(path)) ||
    /^\/api\/queues\/[^/]+\/[^/]+\/update-data\/?$/.test(path)
  ) {
    res
      .status(403)
      .json({ error: 'chunk jobs are created by enqueue only; their data cannot be added or edited here' });
    return;
  }
  next();
};

/** Mounts bull-board on the chunk queue at `basePath`; its actions are hidden when read-only. */
export function mountQueues(app: Express, basePath: string, queue: ChunkQueue, readOnly: boolean): void {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(basePath);
  const adapter = new BullMQAdapter(queue as unknown as Queue, {
    readOnlyMode: readOnly,
    allowRetries: !readOnly,
    displayName: 'chunks',
    description: 'Chunk jobs of the loads (records hidden)',
  });
  adapter.setFormatter('data', chunkJobSummary);
  createBullBoard({
    queues: [adapter],
    serverAdapter,
    options: { uiConfig: { boardTitle: 'hcingest', hideDocsLink: true, miscLinks: [{ text: 'Loads', url: '/' }] } },
  });
  app.use(basePath, refuseDataActions, serverAdapter.getRouter() as RequestHandler);
}
