/** The targets, as ratios within one run (docs/performance.md). */
export const TARGETS = [
  { key: 'enqueueOverParse', min: 1.5, what: 'enqueue / parseOnly' },
  { key: 'directOverNoRepeats', min: 0.8, what: 'directUpsert / directUpsert no repeats' },
  { key: 'bestEndToEndOverDirect', min: 0.8, what: 'best endToEnd / directUpsert' },
  { key: 'bestEndToEndOverSeed', min: 0.9, what: 'best endToEnd / seedBaseline' },
  { key: 'bestReloadOverBestEndToEnd', min: 0.8, what: 'best reload / best endToEnd' },
  { key: 'worstEndToEndOverBest', min: 0.9, what: 'each endToEnd / best (1..N workers)' },
] as const;

export type TargetKey = (typeof TARGETS)[number]['key'];
