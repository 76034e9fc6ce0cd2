import { expect } from 'chai';
import sinon from 'sinon';
import type { AnyBulkWriteOperation, CommandStartedEvent } from 'mongodb';
import { ZERO_COUNTS, createLogger, rowVersion, type Store, type PatientDoc } from '@hcingest/shared';
import { processChunk } from '@hcingest/worker';
import { chunk, newLoad, row, writerStore } from '../harness/chunks.js';
import { isolatedEnv } from '../harness/processes.js';

/**
 * The write path against the real store, watching the commands it sends: a chunk costs the same
 * number of round trips to the patients collection whatever its number of rows and however many
 * of its admissions exist, and every outcome stays exact.
 */
const log = createLogger('test', 'silent');

describe('write path: round trips and outcomes', function () {
  const env = isolatedEnv('wpath');
  let store: Store;
  let commands: CommandStartedEvent[] = [];

  before(async () => {
    store = await writerStore(env, { monitorCommands: true });
    store.client.on('commandStarted', (e) => commands.push(e));
  });
  after(async () => store?.client.close());
  afterEach(() => sinon.restore());

  /** Commands a chunk sent to the patients collection, write_marks and replacements, by name. */
  async function chunkCommands(
    fn: () => Promise<unknown>,
  ): Promise<{ patients: string[]; marks: string[]; claims: string[] }> {
    commands = [];
    await fn();
    const to = (coll: string) =>
      commands
        .filter((c) => c.command[c.commandName] === coll || c.command.collection === coll)
        .map((c) => c.commandName);
    return {
      patients: to(store.patients.collectionName),
      marks: to(store.writeMarks.collectionName),
      claims: to(store.replacements.collectionName),
    };
  }

  /** `n` distinct admissions, with billing amounts derived from `amount`. */
  const records = (tag: string, n: number, amount: (i: number) => string) =>
    Array.from({ length: n }, (_, i) => row(`Pat ${tag}${i}`, amount(i)));

  for (const n of [5, 400]) {
    it(`sends the same commands for ${n} rows as for any other number: new, unchanged, updated, stale, retried`, async () => {
      const tag = `n${n}x`;
      // Load order fixes precedence: "old" < "first" < "same" < "changed".
      for (const id of ['old', 'first', 'same', 'changed']) await newLoad(store, `${tag}${id}`, 1, n);
      const job = (id: string, amount: (i: number) => string) => chunk(`${tag}${id}`, 0, 1, records(tag, n, amount));
      const first = job('first', (i) => String(100 + i));
      const changed = job('changed', (i) => String(200 + i));

      const seen: Record<string, { patients: string[]; marks: string[]; claims: string[] }> = {};
      const outcomes: Record<string, unknown> = {};
      for (const [name, c] of [
        ['inserted', first],
        ['unchanged', job('same', (i) => `${100 + i}.00`)],
        ['updated', changed],
        ['stale', job('old', (i) => String(300 + i))],
        ['retried', changed],
      ] as const) {
        seen[name] = await chunkCommands(async () => {
          const r = await processChunk(store, c, log);
          outcomes[name] = { ...r.counts, accounted: r.accounted };
        });
      }
      // Unchanged rows are read, never written; the chunk's marks cost one insert and one round of
      // reads sent at once (one per kind of mark it looks for), and a chunk that met existing
      // admissions reads its claims (none here). Rows that lost to a newer version without
      // writing (stale) claim themselves, in one insert.
      const marks = ['insert', 'find', 'find', 'find', 'find'];
      expect(seen).to.deep.equal({
        inserted: { patients: ['insert'], marks: [], claims: [] },
        unchanged: { patients: ['insert', 'find'], marks, claims: ['find'] },
        updated: { patients: ['insert', 'find', 'update'], marks: marks.slice(0, 3), claims: ['find'] },
        stale: { patients: ['insert', 'find', 'update', 'find'], marks: [], claims: ['insert', 'find'] },
        retried: { patients: ['insert', 'find', 'update', 'find'], marks: [], claims: ['find'] },
      });
      // Every name is written in lower case ("Pat n5x0"), so every row's Name is normalized.
      const counts = (k: string) => ({ ...ZERO_COUNTS, rows: n, normalized: n, [k]: n });
      expect(outcomes).to.deep.equal({
        inserted: { ...counts('inserted'), accounted: true },
        unchanged: { ...counts('unchanged'), accounted: true },
        updated: { ...counts('updated'), accounted: true },
        stale: { ...counts('stale'), accounted: true },
        // A retry reports what its earlier attempt did, and is not counted again.
        retried: { ...counts('updated'), accounted: false },
      });
      const stored = await store.patients.find({ '_ingest.loadId': `${tag}changed` }).toArray();
      expect(stored).to.have.length(n);
      expect(stored.map((d) => d['Billing Amount']?.valueOf()).sort()).to.deep.equal(
        Array.from({ length: n }, (_, i) => 200 + i).sort(),
      );
    });
  }

  it('counts an admission as inserted by the chunk that created it, even when a retry finds it overwritten', async () => {
    await newLoad(store, 'cre1', 1, 1);
    await newLoad(store, 'cre2', 1, 1);
    const creator = chunk('cre1', 0, 1, [row('Ida Creator', '1')]);
    const first = await processChunk(store, creator, log);
    const later = await processChunk(store, chunk('cre2', 0, 1, [row('Ida Creator', '2')]), log);
    // The creator's chunk runs again (its job was delivered twice): still the one insert.
    const again = await processChunk(store, creator, log);
    expect(first.counts).to.include({ inserted: 1 });
    expect(later.counts).to.include({ updated: 1, inserted: 0 });
    expect(again).to.deep.include({ accounted: false });
    expect(again.counts).to.include({ inserted: 1, stale: 0 });
    const doc = await store.patients.findOne({ Name: 'Ida Creator' });
    expect(doc?.['Billing Amount']?.valueOf()).to.equal(2);
    const creatorSeq = (await store.loads.findOne({ _id: 'cre1' }))!.seq;
    expect(doc?._ingest).to.include({ loadId: 'cre2', createdBy: rowVersion(creatorSeq, 1) });
  });

  it('counts unchanged when another writer stores the same values with an older version between its updates', async () => {
    for (const id of ['race1', 'race2', 'race3']) await newLoad(store, id, 1, 1);
    await processChunk(store, chunk('race1', 0, 1, [row('Kai Racer', '1')]), log);
    const other = await writerStore(env);
    try {
      // Between the "unchanged" update (which finds the values of race1) and the "updated" one,
      // race2 stores exactly race3's values: race3's row matches neither, and the generic update
      // finds it unchanged against race2, the load before it.
      const bulkWrite = store.patients.bulkWrite.bind(store.patients);
      let interleaved = 0;
      sinon
        .stub(store.patients, 'bulkWrite')
        .callsFake(async (ops: readonly AnyBulkWriteOperation<PatientDoc>[], options) => {
          const filter = 'updateOne' in ops[0]! ? (ops[0].updateOne.filter as Record<string, unknown>) : {};
          const hash = filter['_ingest.hash'];
          if (interleaved === 0 && typeof hash === 'object' && hash !== null && '$ne' in hash) {
            interleaved += 1;
            const r = await processChunk(other, chunk('race2', 0, 1, [row('Kai Racer', '3')]), log);
            expect(r.counts).to.include({ updated: 1 });
          }
          return bulkWrite(ops, options);
        });
      const race3 = await processChunk(store, chunk('race3', 0, 1, [row('Kai Racer', '3')]), log);
      expect(interleaved).to.equal(1);
      // In the order the store applied them: race2 changed 1 -> 3, race3 found 3 already there.
      expect(race3.counts).to.include({ unchanged: 1, updated: 0, stale: 0, inserted: 0 });
      const doc = await store.patients.findOne({ Name: 'Kai Racer' });
      expect(doc?._ingest.loadId).to.equal('race3');
      expect(doc?.['Billing Amount']?.valueOf()).to.equal(3);
    } finally {
      await other.client.close();
    }
  });
});
