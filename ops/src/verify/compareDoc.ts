import { Double, Int32 } from 'mongodb';
import { COLUMNS, patientFields, type Admission, type Column } from '@hcingest/shared';

/** A value with its BSON type, as the driver returns it with promoteValues: false. */
function typed(v: unknown): { type: string; value: unknown } {
  if (v === null || v === undefined) return { type: v === null ? 'null' : 'missing', value: null };
  if (v instanceof Int32) return { type: 'int', value: v.value };
  if (v instanceof Double) return { type: 'double', value: v.value };
  if (v instanceof Date) return { type: 'date', value: v.getTime() };
  if (typeof v === 'string') return { type: 'string', value: v };
  // Anything else (a long, a decimal, an object, a boolean) is not what a load writes.
  return { type: (v as object).constructor?.name ?? typeof v, value: JSON.stringify(v) };
}

/** The 15 fields a load writes for this admission, with their BSON types. */
export function expectedFields(admission: Admission): Record<Column, unknown> {
  return patientFields(admission);
}

/** The fields whose value or BSON type differ between what the file says and what is stored. */
export function differingFields(expected: Record<Column, unknown>, stored: Record<string, unknown>): Column[] {
  return COLUMNS.filter((c) => {
    const e = typed(expected[c]);
    const s = typed(stored[c]);
    return e.type !== s.type || e.value !== s.value;
  });
}

/** A field's value for --show-values: readable, with its BSON type. */
export function shownValue(v: unknown): string {
  const { type, value } = typed(v);
  if (type === 'date') return `${new Date(value as number).toISOString().slice(0, 10)} (date)`;
  return `${JSON.stringify(value)} (${type})`;
}
