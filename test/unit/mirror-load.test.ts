import { expect } from 'chai';
import {
  EXIT,
  type LoadDoc,
  archiveAllowance,
  archiveLine,
  archiveOpen,
  describeArchiveLimit,
  formatReport,
  loadSettled,
  parseArchiveLimit,
  toReport,
  worstExitCode,
  waitOutcomeCode,
} from '@hcingest/shared';
import { modeRefusal } from '@hcingest/producer';

const doc = (overrides: Partial<LoadDoc> = {}): LoadDoc => ({
  _id: 'mirror-1',
  seq: 2,
  file: { name: 'extract.csv', bytes: 100, sha256: 'abc' },
  chunkSize: 100,
  startedAt: new Date('2024-05-01T10:00:00Z'),
  chunksTotal: 0,
  rowsRead: 0,
  enqueuedAt: new Date('2024-05-01T10:00:01Z'),
  ...overrides,
});

describe('mirror loads: options, report and exit codes', () => {
  it('reads --max-archive as documents or a share of the collection', () => {
    expect(parseArchiveLimit('5000')).to.deep.equal({ count: 5000 });
    expect(parseArchiveLimit('10%')).to.deep.equal({ share: 0.1 });
    expect(parseArchiveLimit('2.5%')).to.deep.equal({ share: 0.025 });
    for (const bad of ['', '-1', '10 percent', '101%', '1e3', 'x%'])
      expect(parseArchiveLimit(bad), bad).to.equal(undefined);
    expect(archiveAllowance({ share: 0.1 }, 102_400)).to.equal(10_240);
    expect(archiveAllowance({ count: 7 }, 102_400)).to.equal(7);
    expect(describeArchiveLimit({ share: 0.1 }, 102_400)).to.equal('10 % of 102,400');
    expect(describeArchiveLimit({ count: 5000 })).to.equal('5,000');
  });

  it('refuses to resume a load in another mode, naming both', () => {
    expect(modeRefusal('L', undefined, undefined)).to.equal(undefined);
    expect(modeRefusal('L', 'mirror', 'mirror')).to.equal(undefined);
    expect(modeRefusal('L', undefined, 'mirror'))
      .to.include('--mode merge')
      .and.include('--mode mirror');
    expect(modeRefusal('L', 'mirror', undefined)).to.include('was started with --mode mirror');
  });

  it('reports a mirror load with its archive step, and a merge load without', () => {
    expect(toReport(doc(), [], [])).to.not.have.property('archive');
    const archive = {
      stage: 'done' as const,
      limit: { share: 0.1 },
      archived: 5120,
      wouldArchive: 5120,
      patients: 102_400,
    };
    const r = toReport(doc({ mode: 'mirror', archive }), [], []);
    expect(r.mode).to.equal('mirror');
    expect(r.archive).to.deep.equal({ ...archive, confirmed: false, reason: null });
    expect(formatReport(r)).to.include('archive    5,120 archived (limit 10 % of 102,400)');
    const refused = {
      ...r.archive!,
      stage: 'refused' as const,
      archived: 0,
      wouldArchive: 30_720,
      reason: 'beyond --max-archive',
    };
    expect(archiveLine('L', refused)).to.equal(
      'REFUSED: 30,720 would be archived, beyond --max-archive 10 % of 102,400 (confirm with enqueue --load-id L --confirm-archive)',
    );
    expect(archiveLine('L', { ...refused, wouldArchive: null, reason: 'no valid row' })).to.equal(
      'REFUSED: no valid row: nothing archived',
    );
  });

  it('waits for the archive step of a completed mirror load, and exits 6 when it was refused', () => {
    const mirror = (stage: 'pending' | 'running' | 'done' | 'refused' | 'failed') =>
      toReport(doc({ mode: 'mirror', archive: { stage, limit: { share: 0.1 } } }), [], []);
    expect(mirror('pending').state).to.equal('completed');
    expect(loadSettled(mirror('pending'))).to.equal(false);
    expect(loadSettled(mirror('running'))).to.equal(false);
    for (const s of ['done', 'refused', 'failed'] as const) expect(loadSettled(mirror(s)), s).to.equal(true);
    expect(archiveOpen(undefined)).to.equal(false);
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = () => true;
    try {
      expect(waitOutcomeCode({ report: mirror('done'), stuck: null }, 0.05)).to.equal(EXIT.ok);
      expect(waitOutcomeCode({ report: mirror('refused'), stuck: null }, 0.05)).to.equal(EXIT.archiveRefused);
      expect(waitOutcomeCode({ report: mirror('failed'), stuck: null }, 0.05)).to.equal(EXIT.notCompleted);
    } finally {
      process.stderr.write = write;
    }
    expect(worstExitCode([EXIT.ok, EXIT.archiveRefused])).to.equal(EXIT.archiveRefused);
    expect(worstExitCode([EXIT.archiveRefused, EXIT.tooManyRejects])).to.equal(EXIT.tooManyRejects);
    expect(worstExitCode([EXIT.archiveRefused, EXIT.notCompleted])).to.equal(EXIT.notCompleted);
  });
});
