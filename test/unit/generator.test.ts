import { expect } from 'chai';
import { Generator, type Expected, type ExpectedDoc, type GenerateOptions } from '@hcingest/generator';
import {
  parseEach,
  parseRecords,
  splitRecords,
  contentHash,
  identityKey,
  REASONS,
  validateRow,
  type Admission,
  COLUMNS,
  type RawRow,
  fitsHeader,
  mapHeader,
} from '@hcingest/shared';

function generate(opts: GenerateOptions): { text: string; expected: Expected } {
  const gen = new Generator(opts);
  const lines = [gen.header()];
  for (let i = 0; i < opts.rows; i++) lines.push(gen.nextLine());
  return { text: lines.join(gen.eol) + gen.eol, expected: gen.finish() };
}

/** What the project's rules make of a generated file: rejects per row and a first load's outcome. */
async function applyRules(text: string) {
  const [header, ...records] = splitRecords(text);
  const headerFields = (await parseRecords(header!.text))[0]!;
  const map = mapHeader(headerFields);
  const fields = await parseEach(records.map((r) => r.text));
  const rejects: { row: number; reasons: string[] }[] = [];
  const docs = new Map<string, { admission: Admission; hash: string }>();
  const outcome = { inserted: 0, superseded: 0 };
  fields.forEach((f, i) => {
    const row = i + 1;
    if (!fitsHeader(f, map)) {
      rejects.push({ row, reasons: [REASONS.fieldCount] });
      return;
    }
    const raw = Object.fromEntries(COLUMNS.map((c, k) => [c, f[map.indexes[k]!] ?? ''])) as RawRow;
    const result = validateRow(raw);
    if (!result.ok) {
      rejects.push({ row, reasons: result.reasons });
      return;
    }
    const key = identityKey(result.admission);
    const hash = contentHash(result.admission);
    // A first load: the last row of each admission inserts it, every earlier one is superseded.
    if (!docs.has(key)) outcome.inserted++;
    else outcome.superseded++;
    docs.set(key, { admission: result.admission, hash });
  });
  return { rows: records.length, rejects, docs: [...docs.values()].map((d) => d.admission), outcome };
}

/** An admission in the generator's ExpectedDoc shape (dates as YYYY-MM-DD). */
function asExpectedDoc(a: Admission): ExpectedDoc {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return {
    ...a,
    'Date of Admission': day(a['Date of Admission']),
    'Discharge Date': a['Discharge Date'] === null ? null : day(a['Discharge Date']),
  };
}

describe('producer/generate/generator', () => {
  it('writes identical output and expectations for the same seed', () => {
    const a = generate({ rows: 500, seed: 42 });
    const b = generate({ rows: 500, seed: 42 });
    expect(b.text).to.equal(a.text);
    expect(b.expected).to.deep.equal(a.expected);
  });

  it('writes different output for a different seed', () => {
    expect(generate({ rows: 200, seed: 1 }).text).not.to.equal(generate({ rows: 200, seed: 2 }).text);
  });

  it('writes the canonical header', () => {
    expect(new Generator({ rows: 1, seed: 1 }).header()).to.equal(COLUMNS.join(','));
  });

  it('uses CRLF line ends when asked', () => {
    expect(new Generator({ rows: 1, seed: 1 }).eol).to.equal('\n');
    expect(new Generator({ rows: 1, seed: 1, crlf: true }).eol).to.equal('\r\n');
  });

  it('predicts counts that add up to the rows written', () => {
    for (const seed of [1, 7, 99]) {
      const { expected } = generate({ rows: 2000, seed });
      expect(expected.rows).to.equal(2000);
      expect(expected.rejected + expected.inserted + expected.superseded).to.equal(expected.rows);
      expect(expected.superseded).to.equal(expected.duplicates + expected.corrections);
      expect(expected.rejects).to.have.length(expected.rejected);
      expect(Object.values(expected.rejectsByReason).reduce((s, n) => s + n, 0)).to.equal(expected.rejected);
      expect(expected.documents).to.equal(expected.inserted);
      expect(expected.docs).to.have.length(expected.documents);
    }
  });

  it('injects each kind of fault at the configured rates', () => {
    const { expected } = generate({ rows: 3000, seed: 5, invalidRate: 0.2, duplicateRate: 0.1, correctionRate: 0.1 });
    expect(expected.rejected).to.be.greaterThan(0);
    expect(expected.corrections).to.be.greaterThan(0);
    expect(expected.duplicates).to.be.greaterThan(0);
    expect(Object.keys(expected.rejectsByReason)).to.include.members([
      REASONS.fieldCount,
      REASONS.age,
      REASONS.dischargeBeforeAdmission,
      REASONS.empty('Name'),
    ]);
  });

  for (const opts of [
    { rows: 3000, seed: 20240229 },
    {
      rows: 3000,
      seed: 7,
      crlf: true,
      invalidRate: 0.1,
      duplicateRate: 0.05,
      correctionRate: 0.05,
      blankLineRate: 0.02,
    },
  ] satisfies GenerateOptions[]) {
    describe(`agrees with the project rules (${JSON.stringify(opts)})`, () => {
      let generated: { text: string; expected: Expected };
      let actual: Awaited<ReturnType<typeof applyRules>>;
      before(async () => {
        generated = generate(opts);
        actual = await applyRules(generated.text);
      });

      it('yields one record per generated row', () => {
        expect(actual.rows).to.equal(generated.expected.rows);
      });

      it('rejects exactly the expected rows for exactly the expected reasons', () => {
        expect(actual.rejects.length).to.equal(generated.expected.rejected);
        expect(actual.rejects).to.deep.equal(generated.expected.rejects);
      });

      it("classifies the valid rows as a first load's expected inserts and superseded rows", () => {
        const { inserted, superseded } = generated.expected;
        expect(actual.outcome).to.deep.equal({ inserted, superseded });
      });

      it('normalizes the valid rows to exactly the expected final documents', () => {
        expect(actual.docs.map(asExpectedDoc)).to.deep.equal(generated.expected.docs);
      });
    });
  }
});
