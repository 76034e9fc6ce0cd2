import { expect } from 'chai';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { settingsFiles } from '@hcingest/devstack';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('settings docs: generated from the schemas (npm run settings)', () => {
  for (const file of settingsFiles(ROOT)) {
    it(`${file.path} is what npm run settings writes`, () => {
      expect(file.current, `${file.path} is stale: run npm run settings`).to.equal(file.expected);
    });
  }
});
