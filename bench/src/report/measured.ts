import type { ArchiveMeasure } from '../stages/archiveStep.js';
import type { DirectMeasures } from '../stages/directStages.js';
import type { EndToEndMeasures } from '../stages/endToEndStages.js';
import type { EnqueueMeasure } from '../stages/enqueue.js';

/** Every stage's measure (null: the stage did not run). */
export type Measured = {
  parse: number | null;
  enqueue: EnqueueMeasure | null;
  direct: DirectMeasures | null;
  baseline: { rowsPerSec: number } | null;
  archive: ArchiveMeasure | null;
} & EndToEndMeasures;
