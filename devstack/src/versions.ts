import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.js';

/**
 * The pinned versions of the tools the set-up installs (scripts/lib/versions.json, which the
 * plain-Node set-up also reads, before anything is built).
 */
export interface Versions {
  secantus: string;
  toxiproxy: string;
  compose: string;
}

export const VERSIONS = JSON.parse(readFileSync(join(ROOT, 'scripts/lib/versions.json'), 'utf8')) as Versions;
