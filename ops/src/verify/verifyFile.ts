import {
  getLoad,
  rejectsByReason,
  checkFile,
  type Column,
  type Delimiter,
  type FileEncoding,
  type LoadDoc,
  type Store,
} from '@hcingest/shared';
import { differingFields, expectedFields, shownValue } from './compareDoc.js';
import { fileRows } from './fileRows.js';

export interface VerifyOptions {
  encoding: FileEncoding;
  /** the field delimiter, as given to enqueue (detected from the header when absent) */
  delimiter?: Delimiter;
  /** the load whose stored rejects are compared (default: the latest load of this file's content) */
  loadId?: string;
  /** the collection must hold this file's admissions and nothing else */
  exact: boolean;
  /** keep up to this many differing values (patient data: only on request) */
  showValues: number;
}

export interface FieldCount {
  field: Column;
  admissions: number;
  firstRow: number;
}

export interface VerifyResult {
  file: string;
  sha256: string;
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
  const form = { delimiter: header.delimiter, compression: scan.compression };

  // Pass 1: which row of each admission a load leaves stored, and the file's rejects by reason.
  const lastRow = new Map<string, number>();
  const fileReasons = new Map<string, number>();
  let rows = 0;
  let rejectedInFile = 0;
  for await (const r of fileRows(path, opts.encoding, header.map, form)) {
    rows++;
    if (r.ok) lastRow.set(r.id, r.row);
    else {
      rejectedInFile++;
      for (const reason of r.reasons) fileReasons.set(reason, (fileReasons.get(reason) ?? 0) + 1);
    }
  }

  // Pass 2: each admission's last row against its stored document, in batches.
  const result: VerifyResult = {
    file: scan.name,
    sha256: scan.sha256,
    rows,
    admissions: lastRow.size,
    matching: 0,
    missing: 0,
    differing: 0,
    differingFields: [],
    missingRows: [],
    rejectedInFile,
    load: null,
    extra: null,
    values: [],
    ok: false,
  };
  const fields = new Map<Column, FieldCount>();
  let batch: { id: string; row: number; expected: Record<Column, unknown> }[] = [];
  const compare = async () => {
    const docs = await store.patients
      .find({ _id: { $in: batch.map((b) => b.id) } }, { promoteValues: false, projection: { _ingest: 0 } })
      .toArray();
    const byId = new Map(docs.map((d) => [String(d._id), d as unknown as Record<string, unknown>]));
    for (const { id, row, expected } of batch) {
      const stored = byId.get(id);
      if (!stored) {
        result.missing++;
        if (result.missingRows.length < KEPT_ROWS) result.missingRows.push(row);
        continue;
      }
      const differ = differingFields(expected, stored);
      if (differ.length === 0) {
        result.matching++;
        continue;
      }
      result.differing++;
      for (const field of differ) {
        const f = fields.get(field) ?? { field, admissions: 0, firstRow: row };
        f.admissions++;
        f.firstRow = Math.min(f.firstRow, row);
        fields.set(field, f);
        if (result.values.length < opts.showValues)
          result.values.push({ row, field, file: shownValue(expected[field]), stored: shownValue(stored[field]) });
      }
    }
    batch = [];
  };
  for await (const r of fileRows(path, opts.encoding, header.map, form)) {
    if (!r.ok || lastRow.get(r.id) !== r.row) continue;
    batch.push({ id: r.id, row: r.row, expected: expectedFields(r.admission) });
    if (batch.length >= BATCH) await compare();
  }
  if (batch.length > 0) await compare();
  result.differingFields = [...fields.values()].sort((a, b) => b.admissions - a.admissions || a.firstRow - b.firstRow);
  result.missingRows.sort((a, b) => a - b);

  // The load's stored rejects against the file's.
  const load = await findLoad(store, scan.sha256, opts.loadId);
  if (load) {
    const stored = await rejectsByReason(store, load._id);
    const storedReasons = new Map(stored.map((s) => [s.reason, s.rows]));
    const reasons = new Set([...fileReasons.keys(), ...storedReasons.keys()]);
    result.load = {
      loadId: load._id,
      rejectedStored: await store.rejects.countDocuments({ loadId: load._id }),
      reasonsDiffer: [...reasons].filter((r) => fileReasons.get(r) !== storedReasons.get(r)).sort(),
    };
  }

  if (opts.exact) {
    result.extra = 0;
    for await (const { _id } of store.patients.find({}, { projection: { _id: 1 } })) {
      if (!lastRow.has(String(_id))) result.extra++;
    }
  }
  result.ok =
    result.missing === 0 &&
    result.differing === 0 &&
    result.load !== null &&
    result.load.rejectedStored === rejectedInFile &&
    result.load.reasonsDiffer.length === 0 &&
    (result.extra ?? 0) === 0;
  return result;
}

/** The load given, or the latest load of this content. */
async function findLoad(store: Store, sha256: string, loadId?: string): Promise<LoadDoc | null> {
  if (loadId) return getLoad(store, loadId);
  const [latest] = await store.loads.find({ 'file.sha256': sha256 }).sort({ seq: -1 }).limit(1).toArray();
  return latest ?? null;
}
