import type { SettingsOf, SettingsSchema } from './setting.js';

/** How `--wait` (enqueue, status) waits for a load and judges its outcome. */
export const waitSchema = {
  MAX_REJECT_RATE: {
    doc:
      "Share of a load's rows that may be rejected before --wait (enqueue, status) exits 4 instead of 0: " +
      'a fraction (0.05) or a percentage (5%). The load itself completes either way; --max-reject-rate ' +
      'overrides it per command.',
    format: 'rate',
    default: 0.05,
    env: 'MAX_REJECT_RATE',
  },
  POLL_INTERVAL_MS: {
    doc: 'How often --wait (enqueue, status) polls the load report, in ms.',
    format: 'positive-int',
    default: 500,
    env: 'POLL_INTERVAL_MS',
  },
} satisfies SettingsSchema;

export type WaitConfig = SettingsOf<typeof waitSchema>;
