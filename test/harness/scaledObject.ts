import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from './processes.js';

export const SCALED_OBJECT_FILE = join(ROOT, 'deploy/kubernetes/components/keda-autoscaling/scaledobject.yaml');

/** What the workers' ScaledObject reads: its metrics-api trigger's settings, from the manifest. */
export interface BacklogTrigger {
  url: string;
  format: string;
  valueLocation: string;
}

interface Trigger {
  type?: string;
  metadata?: Record<string, string>;
}

export function backlogTrigger(file = SCALED_OBJECT_FILE): BacklogTrigger {
  const docs = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as Record<string, unknown>);
  const so = docs.find((d) => d.kind === 'ScaledObject') as { spec?: { triggers?: Trigger[] } } | undefined;
  const triggers = so?.spec?.triggers ?? [];
  if (triggers.length !== 1 || triggers[0]!.type !== 'metrics-api') throw new Error(`${file}: one metrics-api trigger`);
  const { url, format, valueLocation } = triggers[0]!.metadata ?? {};
  if (!url || !format || !valueLocation) throw new Error(`${file}: url, format and valueLocation`);
  return { url, format, valueLocation };
}

/**
 * The value KEDA's metrics-api scaler takes from a Prometheus text body for a selector
 * `name` or `name{label="value",...}`: the first sample of the family whose labels include the
 * selector's. A family that is absent is an error, as for KEDA (never a silent 0).
 */
export function valueAt(body: string, selector: string): number {
  const sel = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?$/.exec(selector.trim());
  if (!sel) throw new Error(`not a metric selector: ${selector}`);
  const wanted = [...(sel[2] ?? '').matchAll(/([a-zA-Z_]\w*)="([^"]*)"/g)].map((m) => `${m[1]}="${m[2]}"`);
  let found = false;
  for (const line of body.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!m || m[1] !== sel[1]) continue;
    found = true;
    const labels = m[2] ?? '';
    if (wanted.every((w) => labels.split(',').includes(w))) return Number(m[3]);
  }
  throw new Error(found ? `no sample of ${selector}` : `metric '${sel[1]}' not found`);
}
