import { expect } from 'chai';
import {
  type ChunkFailureDoc,
  type ChunkResultDoc,
  type Counts,
  type LoadDoc,
  ZERO_COUNTS,
  loadState,
  sumCounts,
  sumNormalizedColumns,
  toReport,
} from '@hcingest/shared';

const LOAD = 'load-1';
const STARTED = new Date('2024-05-01T10:00:00Z');
const ENQUEUED = new Date('2024-05-01T10:00:05Z');

function loadDoc(overrides: Partial<LoadDoc> = {}): LoadDoc {
  return {
    _id: LOAD,
    seq: 1,
    file: { name: 'patients.csv', bytes: 12345, sha256: 'abc123' },
    chunkSize: 100,
    startedAt: STARTED,
    chunksTotal: 3,
    rowsRead: 250,
    enqueuedAt: ENQUEUED,
    ...overrides,
  };
}

/** A chunk result whose rows are the sum of its outcomes. */
function result(
  chunk: number,
  outcomes: Partial<Omit<Counts, 'rows'>>,
  at = new Date(ENQUEUED.getTime() + chunk * 1000),
): ChunkResultDoc {
  const counts = { ...ZERO_COUNTS, ...outcomes };
  counts.rows =
    counts.rejected + counts.inserted + counts.updated + counts.unchanged + counts.superseded + counts.stale;
  return { _id: `${LOAD}.${chunk}`, loadId: LOAD, chunk, counts, at };
}

function failure(chunk: number, error = 'boom', attempts = 5): ChunkFailureDoc {
  return { _id: `${LOAD}.${chunk}`, loadId: LOAD, chunk, error, attempts, at: new Date(ENQUEUED.getTime() + 500) };
}

describe('load/report', () => {
  describe('loadState', () => {
    it('is running while the number of chunks is not known yet', () => {
      expect(loadState(null, 0, 0)).to.equal('running');
      expect(loadState(null, 10, 0)).to.equal('running');
      expect(loadState(null, 3, 4)).to.equal('running');
    });

    it('is running while some chunk is neither completed nor failed', () => {
      expect(loadState(3, 0, 0)).to.equal('running');
      expect(loadState(3, 2, 0)).to.equal('running');
      expect(loadState(3, 1, 1)).to.equal('running');
    });

    it('is completed when every chunk is completed', () => {
      expect(loadState(3, 3, 0)).to.equal('completed');
    });

    it('is completed for a load with no chunks', () => {
      expect(loadState(0, 0, 0)).to.equal('completed');
    });

    it('is failed only when every chunk is completed or failed and some failed', () => {
      expect(loadState(3, 2, 1)).to.equal('failed');
      expect(loadState(3, 0, 3)).to.equal('failed');
    });
  });

  describe('sumCounts', () => {
    it('adds every count of every chunk, negative adjustments included', () => {
      const c = (counts: Partial<Counts>) => ({ counts: { ...ZERO_COUNTS, ...counts } });
      expect(
        sumCounts([
          c({ rows: 10, rejected: 1, inserted: 5, updated: 2, unchanged: 1, stale: 1, normalized: 3 }),
          // a row replacing an earlier row of the load: its insert, the earlier one's taken back
          c({ rows: 7, inserted: 6, superseded: 2, updated: -1, normalized: 1 }),
        ]),
      ).to.deep.equal({
        rows: 17,
        rejected: 1,
        inserted: 11,
        updated: 1,
        unchanged: 1,
        superseded: 2,
        stale: 1,
        normalized: 4,
      });
    });

    it('reads results accounted before a count existed as zero for it', () => {
      const old = { counts: { rows: 2, rejected: 0, inserted: 2, updated: 0, unchanged: 0, stale: 0 } as Counts };
      expect(sumCounts([old])).to.deep.equal({ ...ZERO_COUNTS, rows: 2, inserted: 2 });
    });

    it('gives zero counts for no chunks without mutating ZERO_COUNTS', () => {
      expect(sumCounts([])).to.deep.equal(ZERO_COUNTS);
      sumCounts([{ counts: { ...ZERO_COUNTS, rows: 1, rejected: 1 } }]);
      expect(Object.values(ZERO_COUNTS).every((v) => v === 0)).to.equal(true);
    });

    it('sums the rows whose values the cleaning changed, per column', () => {
      expect(
        sumNormalizedColumns([
          { normalizedColumns: { Name: 2, 'Billing Amount': 5 } },
          { normalizedColumns: { Name: 1 } },
          {},
        ]),
      ).to.deep.equal({ Name: 3, 'Billing Amount': 5 });
    });
  });

  describe('toReport', () => {
    it('reports a completed load whose processed rows account for every row read', () => {
      const results = [
        result(2, { rejected: 2, inserted: 40, unchanged: 8 }),
        result(0, { rejected: 3, inserted: 90, updated: 5, unchanged: 1, stale: 1 }),
        result(1, { inserted: 95, updated: 3, stale: 2 }),
      ];
      const report = toReport(loadDoc(), results, []);
      expect(report.state).to.equal('completed');
      expect(report.rowsRead).to.equal(250);
      expect(report.rowsProcessed).to.equal(250);
      expect(
        report.rejected + report.inserted + report.updated + report.unchanged + report.superseded + report.stale,
      ).to.equal(report.rowsRead);
      expect(report).to.deep.include({ rejected: 5, inserted: 225, updated: 8, unchanged: 9, stale: 3 });
      expect(report.chunks).to.deep.equal({ total: 3, completed: 3, failed: 0, pending: 0 });
      expect(report.failedChunks).to.deep.equal([]);
    });

    it('copies the load identity and file details', () => {
      const report = toReport(loadDoc(), [], []);
      expect(report).to.deep.include({
        loadId: LOAD,
        file: 'patients.csv',
        fileBytes: 12345,
        sha256: 'abc123',
        startedAt: STARTED.toISOString(),
        enqueuedAt: ENQUEUED.toISOString(),
      });
    });

    it('reports a running load with pending chunks and no finish time', () => {
      const report = toReport(loadDoc({ chunksTotal: 5 }), [result(0, { inserted: 10 })], [failure(3)]);
      expect(report.state).to.equal('running');
      expect(report.chunks).to.deep.equal({ total: 5, completed: 1, failed: 1, pending: 3 });
      expect(report.finishedAt).to.equal(null);
    });

    it('reports unknown totals while the producer is still enqueuing', () => {
      const report = toReport(
        loadDoc({ chunksTotal: null, rowsRead: null, enqueuedAt: null }),
        [result(0, { inserted: 3 })],
        [],
      );
      expect(report.state).to.equal('running');
      expect(report.rowsRead).to.equal(null);
      expect(report.rowsProcessed).to.equal(3);
      expect(report.chunks).to.deep.equal({ total: null, completed: 1, failed: 0, pending: null });
      expect(report.enqueuedAt).to.equal(null);
      expect(report.finishedAt).to.equal(null);
    });

    it('reports a failed load with its failed chunks sorted by chunk number', () => {
      const report = toReport(
        loadDoc({ chunksTotal: 4 }),
        [result(1, { inserted: 50 })],
        [failure(3, 'write timeout', 5), failure(0, 'bad gateway', 4), failure(2)],
      );
      expect(report.state).to.equal('failed');
      expect(report.failedChunks).to.deep.equal([
        { chunk: 0, error: 'bad gateway', attempts: 4 },
        { chunk: 2, error: 'boom', attempts: 5 },
        { chunk: 3, error: 'write timeout', attempts: 5 },
      ]);
      expect(report.chunks).to.deep.equal({ total: 4, completed: 1, failed: 3, pending: 0 });
    });

    it('does not report a failed chunk that later completed', () => {
      const results = [result(0, { inserted: 100 }), result(1, { inserted: 100 }), result(2, { inserted: 50 })];
      const report = toReport(loadDoc(), results, [failure(1)]);
      expect(report.state).to.equal('completed');
      expect(report.failedChunks).to.deep.equal([]);
      expect(report.chunks).to.deep.equal({ total: 3, completed: 3, failed: 0, pending: 0 });
    });

    it('ends a completed load at its last chunk result, whatever the result order', () => {
      const last = new Date('2024-05-01T10:30:00Z');
      const results = [
        result(0, { inserted: 100 }, new Date('2024-05-01T10:10:00Z')),
        result(1, { inserted: 100 }, last),
        result(2, { inserted: 50 }, new Date('2024-05-01T10:20:00Z')),
      ];
      expect(toReport(loadDoc(), results, []).finishedAt).to.equal(last.toISOString());
    });

    it('ends a failed load at its last event, a chunk failure included', () => {
      const failedAt = new Date('2024-05-01T10:45:00Z');
      const report = toReport(
        loadDoc({ chunksTotal: 2 }),
        [result(0, { inserted: 100 }, new Date('2024-05-01T10:10:00Z'))],
        [{ ...failure(1), at: failedAt }],
      );
      expect(report.state).to.equal('failed');
      expect(report.finishedAt).to.equal(failedAt.toISOString());
    });

    it('ends at the enqueue time when the producer finished splitting after the last chunk result', () => {
      const enqueuedAt = new Date('2024-05-01T12:00:00Z');
      const results = [result(0, { inserted: 100 }), result(1, { inserted: 100 }), result(2, { inserted: 50 })];
      expect(toReport(loadDoc({ enqueuedAt }), results, []).finishedAt).to.equal(enqueuedAt.toISOString());
    });

    it('ends an empty finished load at its enqueue time', () => {
      const report = toReport(loadDoc({ chunksTotal: 0, rowsRead: 0 }), [], []);
      expect(report.state).to.equal('completed');
      expect(report.rowsProcessed).to.equal(0);
      expect(report.finishedAt).to.equal(ENQUEUED.toISOString());
    });

    it('produces a report that survives a JSON round trip unchanged', () => {
      const report = toReport(loadDoc(), [result(0, { inserted: 1 })], [failure(2)]);
      expect(JSON.parse(JSON.stringify(report))).to.deep.equal(report);
    });
  });
});
