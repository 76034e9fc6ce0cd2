import type { SettingsSchema } from '@hcingest/shared';

/** Settings described together: one section of `.env.template`, one run of rows of the settings table. */
export interface SettingsGroup {
  title: string;
  /** the processes or tools that read them, as the settings table's "used by" column says it */
  usedBy: string;
  /** what the section of `.env.template` says before its settings */
  intro?: string;
  schema: SettingsSchema;
}
