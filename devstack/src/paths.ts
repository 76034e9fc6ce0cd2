/** Where the local set-up and the local stack keep their things (all under the git-ignored .hcingest/). */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout (this file is compiled to devstack/dist/paths.js). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The state folder: tools installed by the set-up, and the local stack's data. */
export const STATE_HOME = join(ROOT, '.hcingest');

/** The local stack's data, logs and credentials (LOCAL_STACK_DIR to use another). */
export function stackDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.LOCAL_STACK_DIR ? resolve(ROOT, env.LOCAL_STACK_DIR) : join(STATE_HOME, 'stack');
}

/** A path as the user should read it: relative to the checkout when inside it. */
export function shown(path: string): string {
  return path.startsWith(`${ROOT}/`) ? path.slice(ROOT.length + 1) : path;
}
