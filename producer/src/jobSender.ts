import { CHUNK_JOB_NAME, pendingJobs, type ChunkJobData, type ChunkQueue } from '@hcingest/shared';
import type { JobsOptions } from 'bullmq';

/** How often a paused sender asks the queue for room. */
const BACKPRESSURE_POLL_MS = 25;

export interface JobSenderOptions {
  /** the sender pauses while the queue holds this many waiting jobs (QUEUE_MAX_PENDING) */
  maxPending: number;
  /** jobs sent before the first is acknowledged */
  pipeline: number;
  jobOptions: JobsOptions;
  /** asked while paused: true stops waiting (send() then returns false) */
  shouldStop?: () => boolean;
  /** called while paused and after each job, e.g. a heartbeat */
  onTick?: () => Promise<void>;
}

/**
 * Adds chunk jobs to the queue with pipelining and backpressure. Adds are pipelined (up to
 * `pipeline` in flight on the one Redis connection, which keeps their order) instead of one round
 * trip each; `room` counts the jobs that may still be added before the queue holds `maxPending`,
 * so the queue's length is asked only when that runs out.
 */
export class JobSender {
  private readonly inFlight: Promise<unknown>[] = [];
  private error: unknown;
  private room = 0;
  /** jobs acknowledged by Redis */
  sent = 0;

  constructor(
    private readonly queue: ChunkQueue,
    private readonly opts: JobSenderOptions,
  ) {}

  /** Queues one job; false when told to stop while waiting for room (the job is not sent). */
  async send(jobId: string, data: ChunkJobData): Promise<boolean> {
    if (!(await this.waitForRoom())) return false;
    this.room--;
    this.inFlight.push(
      this.queue.add(CHUNK_JOB_NAME, data, { ...this.opts.jobOptions, jobId }).then(
        () => this.sent++,
        (err: unknown) => (this.error ??= err),
      ),
    );
    await this.settle(this.opts.pipeline - 1);
    await this.opts.onTick?.();
    return true;
  }

  /** Waits until every job sent is acknowledged; throws the first failed add. */
  flush(): Promise<void> {
    return this.settle(0);
  }

  private async settle(keep: number): Promise<void> {
    while (this.inFlight.length > keep) await this.inFlight.shift();
    if (this.error) throw this.error;
  }

  private async waitForRoom(): Promise<boolean> {
    while (this.room <= 0) {
      await this.settle(0);
      this.room = this.opts.maxPending - (await pendingJobs(this.queue));
      if (this.room > 0) break;
      if (this.opts.shouldStop?.()) return false;
      await this.opts.onTick?.();
      await new Promise((r) => setTimeout(r, BACKPRESSURE_POLL_MS));
    }
    return true;
  }
}
