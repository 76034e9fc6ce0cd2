import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { settingsFiles, settingsGroups } from '@hcingest/devstack';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('settings docs: generated from the schemas (npm run settings)', () => {
  for (const file of settingsFiles(ROOT)) {
    it(`${file.path} is what npm run settings writes`, () => {
      expect(file.current, `${file.path} is stale: run npm run settings`).to.equal(file.expected);
    });
  }

  it("docker-compose.yml's ${NAME:-value} fallbacks name schema settings and give the value .env.template shows", () => {
    const settings = new Map(settingsGroups().flatMap((g) => Object.values(g.schema).map((s) => [s.env, s] as const)));
    const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
    const fallbacks = [...compose.matchAll(/\$\{([A-Z][A-Z0-9_]*):-([^}]*)\}/g)].map((m) => [m[1]!, m[2]!] as const);
    expect(fallbacks.length).to.be.greaterThan(10);
    for (const [name, value] of fallbacks) {
      const setting = settings.get(name);
      expect(setting, `${name}: no schema describes it`).to.not.equal(undefined);
      expect(value, name).to.equal(setting!.example ?? String(setting!.default));
    }
  });
});
