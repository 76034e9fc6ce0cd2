import { expect } from 'chai';
import { UnrecoverableError } from 'bullmq';
import { MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import {
  InvalidChunkJobError,
  isPermanentChunkError,
  PermanentChunkError,
  UnknownLoadError,
  chunkJobId,
  parseChunkJobId,
  readChunkJob,
  type ChunkJobData,
  COLUMNS,
} from '@hcingest/shared';
import { describeError, faultOf, toQueueError, chunkRefOf } from '@hcingest/worker';

const valid: ChunkJobData = {
  loadId: 'L1',
  chunk: 4,
  firstRow: 801,
  header: [...COLUMNS],
  firstLine: 802,
  rows: 1,
  text: 'a record',
};

/** What readChunkJob throws for a payload, or null when it accepts it. */
function refusal(data: unknown): Error | null {
  try {
    readChunkJob(data);
    return null;
  } catch (err) {
    return err as Error;
  }
}

describe('chunk failures: which errors are permanent', () => {
  it('a payload that is no chunk job and an unknown load are permanent', () => {
    for (const err of [new InvalidChunkJobError('bad payload'), new UnknownLoadError('load L9 is not recorded')]) {
      expect(isPermanentChunkError(err), err.name).to.equal(true);
      expect(err).to.be.instanceOf(PermanentChunkError);
    }
  });

  it('outages, write errors and anything unknown are not: they are retried with backoff', () => {
    const transient: unknown[] = [
      new MongoNetworkError('connection reset'),
      new MongoServerSelectionError('server selection timed out', {} as never),
      new MongoServerError({ message: 'WriteConflict', code: 112 }),
      new Error('Connection is closed.'),
      new TypeError('x is undefined'),
      'a thrown string',
    ];
    for (const err of transient) {
      expect(isPermanentChunkError(err), String(err)).to.equal(false);
      expect(toQueueError(err), 'passed on as it is').to.equal(err);
      expect(faultOf(err)).to.equal(err);
    }
  });

  it('a permanent fault reaches BullMQ as an UnrecoverableError (no retry), its cause the fault', () => {
    const fault = new UnknownLoadError('load L9 is not recorded in the loads collection');
    const queued = toQueueError(fault);
    expect(queued).to.be.instanceOf(UnrecoverableError);
    // BullMQ also recognises it by name (jobs failed by another copy of the class).
    expect((queued as Error).name).to.equal('UnrecoverableError');
    expect((queued as Error).message).to.equal(fault.message);
    expect(faultOf(queued)).to.equal(fault);
    expect(describeError(faultOf(queued))).to.equal(
      'UnknownLoadError: load L9 is not recorded in the loads collection',
    );
  });

  it("an UnrecoverableError of BullMQ's own (not made from a fault) is its own fault", () => {
    const own = new UnrecoverableError('job started more than allowable limit');
    expect(faultOf(own)).to.equal(own);
  });
});

describe('chunk job payload: readChunkJob', () => {
  it('accepts a chunk job and returns its fields only', () => {
    expect(readChunkJob({ ...valid, extra: 'ignored' })).to.deep.equal(valid);
  });

  it('names a job from an older producer (a lines array, no rows/firstLine)', () => {
    const { rows: _rows, firstLine: _firstLine, ...old } = valid;
    const err = refusal({ ...old, lines: [802] });
    expect(err).to.be.instanceOf(InvalidChunkJobError);
    expect(err?.message).to.match(/older producer version.*--new-load/);
  });

  it('refuses what is not an object', () => {
    for (const data of [null, undefined, 'text', 42, [valid]]) {
      const err = refusal(data);
      expect(err, String(data)).to.be.instanceOf(InvalidChunkJobError);
      expect(err?.message).to.equal('chunk job payload is not an object');
    }
  });

  it('names every invalid field, never a value', () => {
    const err = refusal({ ...valid, loadId: '', chunk: -1, header: ['Name', 3], text: 'Jane Doe'.length });
    expect(err).to.be.instanceOf(InvalidChunkJobError);
    expect(err?.message).to.equal('chunk job has an invalid loadId, chunk, header, text');
    expect(refusal({ ...valid, firstRow: 0, rows: 1.5 })?.message).to.equal('chunk job has an invalid firstRow, rows');
  });

  it('refuses a header that lacks a column', () => {
    const err = refusal({ ...valid, header: COLUMNS.filter((c) => c !== 'Age') });
    expect(err).to.be.instanceOf(InvalidChunkJobError);
    expect(err?.message).to.match(/^chunk job header: header lacks column "Age"/);
  });
});

describe('chunk job ids and references', () => {
  it('parseChunkJobId inverts chunkJobId', () => {
    expect(parseChunkJobId(chunkJobId('L.with.dots', 12))).to.deep.equal({ loadId: 'L.with.dots', chunk: 12 });
    expect(parseChunkJobId('1')).to.equal(undefined);
    expect(parseChunkJobId(undefined)).to.equal(undefined);
  });

  it("chunkRefOf takes the payload's load and chunk, or else the job id's", () => {
    expect(chunkRefOf({ id: 'other.1', data: valid })).to.deep.equal({ loadId: 'L1', chunk: 4 });
    expect(chunkRefOf({ id: 'L2.7', data: { text: 'x' } })).to.deep.equal({ loadId: 'L2', chunk: 7 });
    expect(chunkRefOf({ id: 'L2.7', data: null })).to.deep.equal({ loadId: 'L2', chunk: 7 });
    expect(chunkRefOf({ id: '17', data: 'x' })).to.equal(undefined);
  });
});
