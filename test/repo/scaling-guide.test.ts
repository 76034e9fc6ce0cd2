import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@hcingest/shared';
import { loadDashboardConfig } from '@hcingest/ops';
import { loadProducerConfig } from '@hcingest/producer';
import { loadWorkerConfig } from '@hcingest/worker';

/**
 * docs/scaling.md's "Scaling beyond one machine" is a guide whose every failure row names the test
 * that makes it happen: the files must exist and hold the cases the rows name, and the settings
 * it tells the operator to set must be real settings.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const page = readFileSync(join(ROOT, 'docs/scaling.md'), 'utf8');
const start = page.indexOf('## Scaling beyond one machine');
const end = page.indexOf('\n## ', start + 1);
const guide = page.slice(start, end === -1 ? undefined : end);

describe('docs/scaling.md: Scaling beyond one machine', () => {
  it('is there, with a topology picture, settings, sizing, elections and a failure table', () => {
    expect(start).to.be.greaterThan(0);
    expect(guide).to.include('```\n').and.include('Redis Cluster').and.include('MongoDB replica set');
    for (const part of ['**Settings**', '**Sizing.**', '**Elections.**', '**What each failure does**'])
      expect(guide, part).to.include(part);
  });

  it('names, in each failure row, a test file that exists and the case it runs', () => {
    const table = guide.slice(guide.indexOf('**What each failure does**'));
    const rows = table
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| failure') && !l.startsWith('|---'));
    expect(rows.length).to.be.at.least(9);
    for (const row of rows) {
      const m = /`(test\/(?:fault|integration)\/[\w.-]+\.test\.ts)`(?: \(([^)]+)\))?/.exec(row);
      expect(m, row).to.not.equal(null);
      const source = readFileSync(join(ROOT, m![1]!), 'utf8');
      // "(first case)", "(cut from MongoDB)", …: the file holds as many cases, or one with those words.
      const hint = m![2];
      if (!hint) continue;
      const cases = [...source.matchAll(/\bit\('([^']+)'/g)].map((c) => c[1]!);
      const ordinal = /^(first|second)/.exec(hint)?.[1];
      if (ordinal) expect(cases.length, `${m![1]}: ${hint}`).to.be.at.least(ordinal === 'first' ? 1 : 2);
      else {
        const words = hint
          .split(/[;,]/)[0]!
          .trim()
          .split(/\s+/)
          .filter((w) => w.length > 3);
        const found = cases.some((c) => words.every((w) => c.toLowerCase().includes(w.toLowerCase())));
        expect(found, `${m![1]} has a case about "${hint}": ${cases.join(' | ')}`).to.equal(true);
      }
    }
  });

  it('tells the operator to set only real settings, with values they accept', () => {
    const names = new Set([...guide.matchAll(/`([A-Z][A-Z0-9_]{3,})`/g)].map((m) => m[1]!));
    const known = new Set([loadWorkerConfig({}), loadProducerConfig({}), loadDashboardConfig({})].flatMap(Object.keys));
    const notSettings = new Set(['CLUSTER_FAILOVER_WAIT_MS']); // a constant, named with its file
    for (const name of names) if (!notSettings.has(name)) expect(known.has(name), name).to.equal(true);
    expect(notSettings.size).to.equal(1);
    expect(existsSync(join(ROOT, 'shared/src/queue/redisConnection.ts'))).to.equal(true);
    expect(readFileSync(join(ROOT, 'shared/src/queue/redisConnection.ts'), 'utf8')).to.include(
      'export const CLUSTER_FAILOVER_WAIT_MS = 60_000',
    );
    // The settings table's cluster values load as they are written.
    const config = loadConfig({
      REDIS_CLUSTER_NODES: '10.0.1.1:6379,10.0.1.2:6379,10.0.1.3:6379',
      QUEUE_PREFIX: '{hcingest}',
      MONGO_WRITE_CONCERN: 'majority',
      MONGO_URL: 'mongodb://writer:pw@db1,db2,db3/?replicaSet=rs0&authSource=healthcare',
    });
    expect(config.QUEUE_PREFIX).to.equal('{hcingest}');
    expect(guide).to.include('`QUEUE_PREFIX` | `{hcingest}`').and.include('`MONGO_WRITE_CONCERN` | `majority`');
  });
});
