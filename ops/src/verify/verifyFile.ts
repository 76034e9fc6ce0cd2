import {
  getLoad,
  latestLoadOfContent,
  rejectsByReason,
  checkFile,
  type Column,
  type Delimiter,
  type FileEncoding,
  type LoadDoc,
  type RowFormats,
  rowFormatsOf,
  type Store,
} from '@hcingest/shared';
import { differingFields, expectedFields, shownValue } from './compareDoc.js';
import { fileRows, type FileRow } from './fileRows.js';
import { assertMirrorLoad, checkArchived, type ArchivedCheck } from './verifyArchived.js';

export interface VerifyOptions {
  encoding: FileEncoding;
  /** the field delimiter, as given to enqueue (detected from the header when absent) */
  delimiter?: Delimiter;
  /** how amounts and dates are written, as given (what is not given: as the load recorded it) */
  formats?: Partial<RowFormats>;
  /** the load whose stored rejects are compared (default: the latest load of this file's content, gzip or not) */
  loadId?: string;
  /** the collection must hold this file's admissions and nothing else */
  exact: boolean;
  /** keep up to this many differing values (patient data: only on request) */
  showValues: number;
  /** also check what the load (a mirror load) archived: absent from the file and from patients, in the archive */
  archived?: boolean;
}

export interface FieldCount {
  field: Column;
  admissions: number;
  firstRow: number;
}

/**
 * The audit's result: OK (every admission and reject matches), MISMATCH (a difference), or
 * REJECTS_NOT_COMPARED (every admission matches, but no load of the file was found to compare its
 * rejects with: neither OK nor a difference).
 */
export type VerifyOutcome = 'OK' | 'MISMATCH' | 'REJECTS_NOT_COMPARED';

export interface VerifyResult {
  file: string;
  /** of the file's bytes as given */
  sha256: string;
  /** of its decompressed bytes: the content its load was found by */
  contentSha256: string;
  rows: number;
  /** distinct admissions among the file's valid rows (the last row of each is what must be stored) */
  admissions: number;
  matching: number;
  missing: number;
  differing: number;
  differingFields: FieldCount[];
  /** first rows whose admission is missing (row numbers only) */
  missingRows: number[];
  rejectedInFile: number;
  /** the load compared: its stored rejects, null when no load of this file was found */
  load: { loadId: string; rejectedStored: number; reasonsDiffer: string[] } | null;
  /** documents of no admission of this file (counted with --exact only) */
  extra: number | null;
  values: { row: number; field: Column; file: string; stored: string }[];
  /** what the mirror load archived, checked (--archived only) */
  archived: ArchivedCheck | null;
  result: VerifyOutcome;
  /** result === 'OK' */
  ok: boolean;
}

/** Admissions looked up per query. */
const BATCH = 500;
const KEPT_ROWS = 10;

/**
 * An independent audit of a file against the store: the file is read with the same rules a load
 * applies (the later row of an admission wins), every admission's document is read back and each
 * of its 15 fields compared, value and BSON type; the file's rejects are compared with those
 * stored for its load. Two passes over the file keep memory to one entry per admission.
 */
export async function verifyFile(store: Store, path: string, opts: VerifyOptions): Promise<VerifyResult> {
  const { file: scan, header } = await checkFile(path, opts.encoding, opts.delimiter);
  const load = opts.loadId ? await getLoad(store, opts.loadId) : await latestLoadOfContent(store, scan.contentSha256);
  if (opts.archived) assertMirrorLoad(load);
  // The file is read in the formats its load was read with, unless told otherwise.
  const formats = { ...rowFormatsOf(load?.formats), ...opts.formats };
  const read = () =>
    fileRows(path, opts.encoding, header.map, { delimiter: header.delimiter, compression: scan.compression, formats });
  const outcome = await readFileOutcome(read());
  const comparison = new StoredComparison(store, opts.showValues);
  for await (const r of read()) {
    if (r.ok && outcome.lastRow.get(r.id) === r.row) await comparison.add(r.id, r.row, expectedFields(r.admission));
  }
  const compared = await comparison.finish();
  const result: VerifyResult = {
    file: scan.name,
    sha256: scan.sha256,
    contentSha256: scan.contentSha256,
    rows: outcome.rows,
    admissions: outcome.lastRow.size,
    matching: compared.matching,
    missing: compared.missing,
    differing: compared.differing,
    differingFields: compared.differingFields,
    missingRows: compared.missingRows,
    rejectedInFile: outcome.rejectedInFile,
    load: load ? await compareLoadRejects(store, load, outcome.reasons) : null,
    extra: opts.exact ? await countExtra(store, outcome.lastRow) : null,
    values: compared.values,
    archived: opts.archived ? await checkArchived(store, load, outcome.lastRow) : null,
    result: 'MISMATCH',
    ok: false,
  };
  result.result = outcomeOf(result);
  result.ok = result.result === 'OK';
  return result;
}

/** What a load makes of the file: which row of each admission it leaves stored, and its rejects. */
interface FileOutcome {
  rows: number;
  /** admission id -> the row of it that is stored (the last valid one) */
  lastRow: Map<string, number>;
  rejectedInFile: number;
  /** reject reason -> rows */
  reasons: Map<string, number>;
}

/** Pass 1: which row of each admission a load leaves stored, and the file's rejects by reason. */
async function readFileOutcome(rows: AsyncIterable<FileRow>): Promise<FileOutcome> {
  const outcome: FileOutcome = { rows: 0, lastRow: new Map(), rejectedInFile: 0, reasons: new Map() };
  for await (const r of rows) {
    outcome.rows++;
    if (r.ok) outcome.lastRow.set(r.id, r.row);
    else {
      outcome.rejectedInFile++;
      for (const reason of r.reasons) outcome.reasons.set(reason, (outcome.reasons.get(reason) ?? 0) + 1);
    }
  }
  return outcome;
}

type Compared = Pick<VerifyResult, 'matching' | 'missing' | 'differing' | 'differingFields' | 'missingRows' | 'values'>;

/** Pass 2: each admission's last row against its stored document, read back in batches. */
class StoredComparison {
  private readonly counts: Compared = {
    matching: 0,
    missing: 0,
    differing: 0,
    differingFields: [],
    missingRows: [],
    values: [],
  };
  private readonly fields = new Map<Column, FieldCount>();
  private batch: { id: string; row: number; expected: Record<Column, unknown> }[] = [];

  constructor(
    private readonly store: Store,
    private readonly showValues: number,
  ) {}

  async add(id: string, row: number, expected: Record<Column, unknown>): Promise<void> {
    this.batch.push({ id, row, expected });
    if (this.batch.length >= BATCH) await this.compareBatch();
  }

  /** Compares what is left and returns the counts, fields by admissions differing (then first row). */
  async finish(): Promise<Compared> {
    if (this.batch.length > 0) await this.compareBatch();
    this.counts.differingFields = [...this.fields.values()].sort(
      (a, b) => b.admissions - a.admissions || a.firstRow - b.firstRow,
    );
    this.counts.missingRows.sort((a, b) => a - b);
    return this.counts;
  }

  private async compareBatch(): Promise<void> {
    const docs = await this.store.patients
      .find({ _id: { $in: this.batch.map((b) => b.id) } }, { promoteValues: false, projection: { _ingest: 0 } })
      .toArray();
    const byId = new Map(docs.map((d) => [String(d._id), d as unknown as Record<string, unknown>]));
    for (const { id, row, expected } of this.batch) {
      const stored = byId.get(id);
      if (!stored) {
        this.counts.missing++;
        if (this.counts.missingRows.length < KEPT_ROWS) this.counts.missingRows.push(row);
        continue;
      }
      const differ = differingFields(expected, stored);
      if (differ.length === 0) this.counts.matching++;
      else this.countDiffering(row, differ, expected, stored);
    }
    this.batch = [];
  }

  private countDiffering(
    row: number,
    differ: Column[],
    expected: Record<Column, unknown>,
    stored: Record<string, unknown>,
  ) {
    this.counts.differing++;
    for (const field of differ) {
      const f = this.fields.get(field) ?? { field, admissions: 0, firstRow: row };
      f.admissions++;
      f.firstRow = Math.min(f.firstRow, row);
      this.fields.set(field, f);
      if (this.counts.values.length < this.showValues)
        this.counts.values.push({ row, field, file: shownValue(expected[field]), stored: shownValue(stored[field]) });
    }
  }
}

/** The load's stored rejects against the file's. */
async function compareLoadRejects(
  store: Store,
  load: LoadDoc,
  fileReasons: Map<string, number>,
): Promise<NonNullable<VerifyResult['load']>> {
  const stored = await rejectsByReason(store, load._id);
  const storedReasons = new Map(stored.map((s) => [s.reason, s.rows]));
  const reasons = new Set([...fileReasons.keys(), ...storedReasons.keys()]);
  return {
    loadId: load._id,
    rejectedStored: await store.rejects.countDocuments({ loadId: load._id }),
    reasonsDiffer: [...reasons].filter((r) => fileReasons.get(r) !== storedReasons.get(r)).sort(),
  };
}

/** With --exact: the stored documents of no admission of this file. */
async function countExtra(store: Store, lastRow: Map<string, number>): Promise<number> {
  let extra = 0;
  for await (const { _id } of store.patients.find({}, { projection: { _id: 1 } })) {
    if (!lastRow.has(String(_id))) extra++;
  }
  return extra;
}

/** A difference anywhere is a MISMATCH; matching admissions with no load to compare rejects with are not OK. */
function outcomeOf(result: VerifyResult): VerifyOutcome {
  const admissionsMatch = result.missing === 0 && result.differing === 0 && (result.extra ?? 0) === 0;
  if (!admissionsMatch || result.archived?.ok === false) return 'MISMATCH';
  if (result.load === null) return 'REJECTS_NOT_COMPARED';
  const rejectsMatch = result.load.rejectedStored === result.rejectedInFile && result.load.reasonsDiffer.length === 0;
  return rejectsMatch ? 'OK' : 'MISMATCH';
}
