import { COLUMNS, REQUIRED, type Column, REASONS, csvField } from '@hcingest/shared';
import { Random } from './random.js';
import { identityOf } from './extracts.js';
import * as P from './pools.js';

/**
 * A deterministic synthetic admissions file, with the outcome its first load must have.
 * The prediction is computed from what the generator meant to write (canonical values and the
 * fault it injected), not by running the project's rules: it is an independent oracle.
 */

export interface ExpectedDoc {
  Name: string;
  Age: number;
  Gender: string;
  'Blood Type': string;
  'Medical Condition': string;
  'Date of Admission': string;
  Doctor: string | null;
  Hospital: string;
  'Insurance Provider': string | null;
  'Billing Amount': number | null;
  'Room Number': number;
  'Admission Type': string;
  'Discharge Date': string | null;
  Medication: string | null;
  'Test Results': string;
}

export interface Expected {
  rows: number;
  documents: number;
  rejected: number;
  /**
   * The outcome of a first load of the file into an empty collection, whatever the number of
   * workers: one insert per admission; every other valid row repeats an admission a later row of
   * the file also holds, so it is superseded (updated, unchanged and stale are 0).
   */
  inserted: number;
  superseded: number;
  /** rows that repeat an earlier admission exactly, and rows that correct one */
  duplicates: number;
  corrections: number;
  rejectsByReason: Record<string, number>;
  rejects: { row: number; reasons: string[] }[];
  docs: ExpectedDoc[];
}

export interface GenerateOptions {
  rows: number;
  seed: number;
  crlf?: boolean;
  /** shares of rows (defaults: 1% duplicates, 1.5% corrections, 3% invalid, 0.2% blank lines) */
  duplicateRate?: number;
  correctionRate?: number;
  invalidRate?: number;
  blankLineRate?: number;
}

interface Admission {
  doc: ExpectedDoc;
  line: string;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** An invalid row in the making: its document, its raw values, and a setter for one column's value. */
interface FaultedRow {
  rnd: Random;
  doc: ExpectedDoc;
  values: string[];
  set: (column: Column, value: string) => void;
}

/** What one kind of invalid row gets wrong; returns the reason its reject must name. */
type Fault = (row: FaultedRow) => string;

/** A required column left empty or blank. */
const emptyField =
  (column: Column): Fault =>
  ({ rnd, set }) => {
    set(column, rnd.chance(0.5) ? '' : '   ');
    return REASONS.empty(column);
  };

/** A column given one of these values, each refused for this reason. */
const badValue =
  (column: Column, bad: readonly string[], reason: string): Fault =>
  ({ rnd, set }) => {
    set(column, rnd.pick(bad));
    return reason;
  };

/** The kinds of invalid rows, written in turn: each required column empty, then each bad value. */
const FAULTS: readonly Fault[] = [
  ...REQUIRED.map(emptyField),
  badValue('Age', ['abc', '121', '-5', '4.5', ''], REASONS.age),
  badValue('Gender', ['Unknown', 'M', 'F'], REASONS.gender),
  badValue('Blood Type', ['C+', 'AB', 'O'], REASONS.bloodType),
  ({ rnd, set }) => {
    set('Date of Admission', rnd.pick(['2023-02-30', '2023/01/05', '05-01-2023', '2021-13-01']));
    set('Discharge Date', '');
    return REASONS.date('Date of Admission');
  },
  badValue('Discharge Date', ['2024-04-31', 'soon', '2024-1-5'], REASONS.date('Discharge Date')),
  // discharged before admitted
  ({ rnd, doc, set }) => {
    const d = new Date(`${doc['Date of Admission']}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() - rnd.int(1, 20));
    set('Discharge Date', iso(d));
    return REASONS.dischargeBeforeAdmission;
  },
  badValue('Billing Amount', ['abc', '1e400', '12.5.1', '$100'], REASONS.billing),
  badValue('Room Number', ['0', '-3', '12a', '3.5'], REASONS.room),
  badValue('Admission Type', ['Routine', 'Walk-in'], REASONS.admissionType),
  badValue('Test Results', ['Positive', 'Pending'], REASONS.testResults),
  // a field too few or too many
  ({ rnd, values }) => {
    if (rnd.chance(0.5)) values.pop();
    else values.push('extra');
    return REASONS.fieldCount;
  },
];

export class Generator {
  private readonly rnd: Random;
  private readonly admissions = new Map<string, Admission>();
  private readonly keys: string[] = [];
  private invalidCounter = 0;
  private readonly hospitals: string[];
  private readonly doctors: string[];
  readonly expected: Expected = {
    rows: 0,
    documents: 0,
    rejected: 0,
    inserted: 0,
    superseded: 0,
    duplicates: 0,
    corrections: 0,
    rejectsByReason: {},
    rejects: [],
    docs: [],
  };

  constructor(private readonly opts: GenerateOptions) {
    this.rnd = new Random(opts.seed);
    this.hospitals = Array.from({ length: 300 }, () => this.hospitalName());
    this.doctors = Array.from({ length: 400 }, () => `${this.rnd.pick(P.FIRST_NAMES)} ${this.rnd.pick(P.LAST_NAMES)}`);
  }

  get eol(): string {
    return this.opts.crlf ? '\r\n' : '\n';
  }

  header(): string {
    return COLUMNS.join(',');
  }

  /** The next data row as one CSV line (maybe preceded by a blank line). */
  nextLine(): string {
    const row = ++this.expected.rows;
    const blank = this.rnd.chance(this.opts.blankLineRate ?? 0.002) ? this.eol : '';
    const roll = this.rnd.next();
    const dup = this.opts.duplicateRate ?? 0.01;
    const cor = this.opts.correctionRate ?? 0.015;
    const inv = this.opts.invalidRate ?? 0.03;
    let line: string;
    if (roll < dup && this.keys.length > 0) line = this.duplicate();
    else if (roll < dup + cor && this.keys.length > 0) line = this.correction();
    else if (roll < dup + cor + inv) line = this.invalid(row);
    else line = this.fresh();
    return blank + line;
  }

  /** Final documents, in first-seen order. */
  finish(): Expected {
    this.expected.docs = this.keys.map((k) => this.admissions.get(k)!.doc);
    this.expected.documents = this.expected.docs.length;
    this.expected.superseded = this.expected.duplicates + this.expected.corrections;
    return this.expected;
  }

  private fresh(): string {
    for (;;) {
      const doc = this.newDoc();
      const key = identityOf(doc);
      if (this.admissions.has(key)) continue;
      const line = this.render(doc);
      this.admissions.set(key, { doc, line });
      this.keys.push(key);
      this.expected.inserted++;
      return line;
    }
  }

  private duplicate(): string {
    const a = this.admissions.get(this.rnd.pick(this.keys))!;
    this.expected.duplicates++;
    return a.line;
  }

  private correction(): string {
    const key = this.rnd.pick(this.keys);
    const a = this.admissions.get(key)!;
    const doc: ExpectedDoc = { ...a.doc };
    switch (this.rnd.int(0, 3)) {
      case 0:
        doc['Billing Amount'] = Math.round(((doc['Billing Amount'] ?? 0) + 100.25) * 100) / 100;
        break;
      case 1:
        doc['Test Results'] = doc['Test Results'] === 'Normal' ? 'Abnormal' : 'Normal';
        break;
      case 2:
        doc.Medication = doc.Medication === 'Aspirin' ? 'Ibuprofen' : 'Aspirin';
        break;
      default:
        doc['Room Number'] = doc['Room Number'] + 1;
    }
    const line = this.render(doc);
    this.admissions.set(key, { doc, line });
    this.expected.corrections++;
    return line;
  }

  private invalid(row: number): string {
    const fault = FAULTS[this.invalidCounter++ % FAULTS.length]!;
    const doc = this.newDoc();
    const values = this.rawValues(doc);
    const set = (c: Column, v: string) => (values[COLUMNS.indexOf(c)] = v);
    const reason = fault({ rnd: this.rnd, doc, values, set });
    this.expected.rejected++;
    this.expected.rejects.push({ row, reasons: [reason] });
    this.expected.rejectsByReason[reason] = (this.expected.rejectsByReason[reason] ?? 0) + 1;
    return values.map(csvField).join(',');
  }

  private newDoc(): ExpectedDoc {
    const r = this.rnd;
    const admitted = new Date(Date.UTC(2019, 0, 1) + r.int(0, 6 * 365) * 86_400_000);
    const discharged = new Date(admitted.getTime() + r.int(0, 30) * 86_400_000);
    const cents = r.int(-50_000, 5_000_000);
    return {
      Name: this.personName(),
      Age: r.int(0, 120),
      Gender: r.pick(['Male', 'Female']),
      'Blood Type': r.pick(['A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-']),
      'Medical Condition': r.pick(P.CONDITIONS),
      'Date of Admission': iso(admitted),
      Doctor: r.chance(0.02) ? null : r.pick(this.doctors),
      Hospital: r.pick(this.hospitals),
      'Insurance Provider': r.chance(0.02) ? null : r.pick(P.INSURERS),
      'Billing Amount': r.chance(0.02) ? null : cents / 100,
      'Room Number': r.int(101, 500),
      'Admission Type': r.pick(['Elective', 'Emergency', 'Urgent']),
      'Discharge Date': r.chance(0.05) ? null : iso(discharged),
      Medication: r.chance(0.02) ? null : r.pick(P.MEDICATIONS),
      'Test Results': r.pick(['Normal', 'Abnormal', 'Inconclusive']),
    };
  }

  private personName(): string {
    const r = this.rnd;
    const parts = [r.pick(P.FIRST_NAMES), r.pick(P.LAST_NAMES)];
    if (r.chance(0.1)) parts.unshift(r.pick(P.PREFIXES));
    if (r.chance(0.07)) parts.push(r.pick(P.SUFFIXES));
    return parts.join(' ');
  }

  private hospitalName(): string {
    const r = this.rnd;
    const w = () => r.pick(P.HOSPITAL_WORDS);
    switch (r.int(0, 3)) {
      case 0:
        return `${w()}, ${w()} and ${w()}`;
      case 1:
        return `${w()} ${r.pick(['Ltd', 'Inc', 'LLC', 'PLC'])}`;
      case 2:
        return `${w()}-${w()}`;
      default:
        return `${w()} and Sons`;
    }
  }

  /** Raw text of a valid row: canonical values written the messy ways real exports do. */
  private rawValues(doc: ExpectedDoc): string[] {
    const r = this.rnd;
    const messCase = (s: string) => (r.chance(0.15) ? s.toUpperCase() : r.chance(0.15) ? s.toLowerCase() : s);
    const name = doc.Name.split(' ')
      .map((word) => (/^(Mr|Mrs|Ms|Dr|Jr|Sr)\.$|^(MD|DDS|DVM|PhD|II|III|IV)$/.test(word) ? word : messCase(word)))
      .join(r.chance(0.05) ? '  ' : ' ');
    const billing = doc['Billing Amount'] === null ? '' : this.billingText(doc['Billing Amount']);
    const doctor = doc.Doctor === null ? '' : r.chance(0.01) ? doc.Doctor.replace(' ', '\n') : doc.Doctor;
    const values: Record<Column, string> = {
      Name: r.chance(0.03) ? ` ${name} ` : name,
      Age: String(doc.Age),
      Gender: messCase(doc.Gender),
      'Blood Type': r.chance(0.1) ? doc['Blood Type'].toLowerCase() : doc['Blood Type'],
      'Medical Condition': doc['Medical Condition'],
      'Date of Admission': doc['Date of Admission'],
      Doctor: doctor,
      Hospital: doc.Hospital,
      'Insurance Provider': doc['Insurance Provider'] ?? '',
      'Billing Amount': billing,
      'Room Number': String(doc['Room Number']),
      'Admission Type': messCase(doc['Admission Type']),
      'Discharge Date': doc['Discharge Date'] ?? '',
      Medication: doc.Medication ?? '',
      'Test Results': messCase(doc['Test Results']),
    };
    return COLUMNS.map((c) => values[c]);
  }

  /** The amount as an export would print it: sometimes whole, sometimes with noise digits that round away. */
  private billingText(amount: number): string {
    const r = this.rnd;
    const fixed = amount.toFixed(2);
    if (r.chance(0.2)) return `${fixed}${r.int(0, 4)}${r.int(1, 9)}`; // rounds back to `fixed`
    if (Number.isInteger(amount) && r.chance(0.5)) return String(amount);
    return fixed;
  }

  private render(doc: ExpectedDoc): string {
    return this.rawValues(doc).map(csvField).join(',');
  }
}
