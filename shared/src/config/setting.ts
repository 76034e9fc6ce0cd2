/**
 * One setting, in convict's schema shape: its key is the environment variable, so a validation
 * message names the variable to fix. `doc` is its one description: the settings table of the
 * docs and `.env.template` are generated from it (npm run settings).
 */
export interface Setting {
  doc: string;
  /** a convict format: a name registered in formats.ts, a list of values, or String */
  format: string | readonly string[] | StringConstructor;
  default: string | number | boolean;
  env: string;
  /** a secret: never logged; `.env.template` shows the password placeholder when it has no default */
  sensitive?: boolean;
  /** the value `.env.template` shows instead of the default (an example, or what compose uses) */
  example?: string;
  /** `.env.template` shows it commented out: best left unset unless you mean it */
  unset?: boolean;
}

export type SettingsSchema = Record<string, Setting>;

/** The values a schema gives: numbers and booleans as such, everything else a string. */
export type SettingsOf<S extends SettingsSchema> = {
  [K in keyof S]: S[K]['default'] extends number ? number : S[K]['default'] extends boolean ? boolean : string;
};
