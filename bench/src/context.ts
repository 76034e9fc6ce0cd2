import type { BenchOptions } from './options.js';
import type { Children } from './processes/children.js';

/** The settings of one measure: its own database and queue on the bench's servers. */
export type EnvFor = (name: string) => NodeJS.ProcessEnv;

/** What every stage of one bench run is given. */
export interface BenchContext {
  options: BenchOptions;
  /** progress, on stderr (nothing with --json) */
  say: (msg: string) => void;
  /** the generated file every stage measures */
  file: string;
  /** the run's scratch folder */
  dir: string;
  envFor: EnvFor;
  redisUrl: string;
  /** an account that may create databases */
  mongoUrl: string;
  /** a prefix of the run's database names */
  dbPrefix: string;
  /** the processes the bench started: stopped on Ctrl-C */
  children: Children;
}
