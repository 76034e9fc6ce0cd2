import { expect } from 'chai';
import type { ChunkJob } from '@hcingest/worker';
import { ZERO_COUNTS } from '@hcingest/shared';
import { readFaults, wantsFaults, withFaults } from '../harness/faults.js';

/** The test harness's fault injection (what the fault tests' workers run), not production code. */
describe('test harness: fault injection', () => {
  it('is asked for by FAULT_FAIL_CHUNKS or FAULT_CHUNK_DELAY_MS, and only by them', () => {
    expect(wantsFaults({ FAULT_FAIL_CHUNKS: '3' })).to.equal(true);
    expect(wantsFaults({ FAULT_CHUNK_DELAY_MS: '0' })).to.equal(true);
    expect(wantsFaults({ JOB_ATTEMPTS: '2' })).to.equal(false);
  });

  it('reads chunk indexes and a delay, and refuses malformed values', () => {
    const faults = readFaults({ FAULT_FAIL_CHUNKS: '3, 7,', FAULT_CHUNK_DELAY_MS: '150' });
    expect([...faults.failChunks]).to.deep.equal([3, 7]);
    expect(faults.chunkDelayMs).to.equal(150);
    expect(readFaults({})).to.deep.equal({ failChunks: new Set(), chunkDelayMs: 0 });
    expect(() => readFaults({ FAULT_FAIL_CHUNKS: '3;7' })).to.throw('FAULT_FAIL_CHUNKS');
    expect(() => readFaults({ FAULT_CHUNK_DELAY_MS: '-1' })).to.throw('FAULT_CHUNK_DELAY_MS');
  });

  it('fails every attempt of the chosen chunks and hands the others to the real processor', async () => {
    const handled: number[] = [];
    const processor = withFaults(readFaults({ FAULT_FAIL_CHUNKS: '1' }))(async (job) => {
      handled.push(job.data.chunk);
      return { counts: ZERO_COUNTS, accounted: true };
    });
    const job = (chunk: number) => ({ data: { loadId: 'L1', chunk } }) as ChunkJob;
    expect(await processor(job(0))).to.deep.equal({ counts: ZERO_COUNTS, accounted: true });
    const err = await processor(job(1)).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).to.equal('injected fault for chunk 1');
    expect(handled).to.deep.equal([0]);
  });
});
