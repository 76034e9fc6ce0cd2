/** The measured stages, in the order they run. */
export const STAGES = [
  'parseOnly',
  'enqueue',
  'directUpsert',
  'seedBaseline',
  'endToEnd',
  'reload',
  'archive',
] as const;
export type Stage = (typeof STAGES)[number];

/** What one bench run measures (npm run bench -- --help). */
export interface BenchOptions {
  /** rows of the generated file */
  rows: number;
  /** worker process counts for endToEnd (and reload) */
  workerCounts: number[];
  /** each store-bound measure is run this many times, the best kept */
  repeat: number;
  /** print only the result as one JSON document */
  json: boolean;
  /** do not run the Python seed baseline */
  skipBaseline: boolean;
  /** run only these stages (the others are reported as null) */
  only?: Stage[];
}

/** Whether this run measures `stage`. */
export function runsStage(o: BenchOptions, stage: Stage): boolean {
  return o.only ? o.only.includes(stage) : stage !== 'seedBaseline' || !o.skipBaseline;
}
