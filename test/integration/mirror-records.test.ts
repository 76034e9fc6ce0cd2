import { expect } from 'chai';
import type { Job } from 'bullmq';
import { createLogger, createOrResumeLoad, markEnqueued, type Store } from '@hcingest/shared';
import { MARK_GRACE_MS, recordArchiveFailure, sweepWriteMarks } from '@hcingest/worker';
import { writerStore } from '../harness/chunks.js';
import { isolatedEnv } from '../harness/processes.js';

/**
 * A mirror load's archive step reads the unchanged marks of the loads after it (an admission a
 * later load found unchanged is not archived): those are kept until the step is done.
 */
describe('mirror loads: write marks kept, a failed archive step recorded', function () {
  let store: Store;
  before(async () => {
    store = await writerStore(isolatedEnv('msweep'));
  });
  after(async () => store.client.close());

  /** A load with no chunk: complete as soon as it is enqueued. */
  const load = async (loadId: string, mirror: boolean) => {
    const file = { name: `${loadId}.csv`, bytes: 1, sha256: loadId };
    const archive = { stage: 'pending' as const, limit: { share: 0.1 } };
    const { doc } = await createOrResumeLoad(store, {
      loadId,
      file,
      chunkSize: 2,
      ...(mirror ? { mode: 'mirror' as const, archive } : {}),
    });
    await markEnqueued(store, loadId, 0, 0);
    return doc.seq;
  };
  const mark = (loadId: string, seq: number) =>
    store.writeMarks.insertOne({
      _id: `${loadId}.0`,
      loadId,
      seq,
      from: 0,
      to: 0,
      unchanged: ['x'],
      unchangedRows: [],
      changing: [],
      at: new Date(0),
    });
  const afterGrace = () => Date.now() + MARK_GRACE_MS;

  it('keeps the marks of loads after a mirror load whose archive step is not done, then sweeps them', async function () {
    const seqs = [await load('before', false), await load('mirror', true), await load('later', false)];
    for (const [i, id] of ['before', 'mirror', 'later'].entries()) await mark(id, seqs[i]!);
    expect(await sweepWriteMarks(store, afterGrace())).to.equal(2);
    expect(await store.writeMarks.distinct('loadId')).to.deep.equal(['later']);
    for (const stage of ['running', 'refused', 'failed']) {
      await store.loads.updateOne({ _id: 'mirror' }, { $set: { 'archive.stage': stage as 'running' } });
      expect(await sweepWriteMarks(store, afterGrace()), stage).to.equal(0);
    }
    await store.loads.updateOne({ _id: 'mirror' }, { $set: { 'archive.stage': 'done' } });
    expect(await sweepWriteMarks(store, afterGrace())).to.equal(1);
    expect(await store.writeMarks.countDocuments({})).to.equal(0);
  });

  it('records the archive step failed once its job has no attempt left, not before', async function () {
    await load('failing', true);
    const log = createLogger('test', 'silent');
    const job = (state: string) =>
      ({ data: { loadId: 'failing' }, attemptsMade: 3, getState: async () => state }) as unknown as Job;
    await recordArchiveFailure(store, log, job('delayed'), new Error('connection reset'));
    expect((await store.loads.findOne({ _id: 'failing' }))!.archive!.stage).to.equal('pending');
    await recordArchiveFailure(store, log, job('failed'), new Error('connection reset'));
    expect((await store.loads.findOne({ _id: 'failing' }))!.archive).to.include({
      stage: 'failed',
      reason: 'connection reset',
    });
  });
});
