import { expect } from 'chai';
import sinon from 'sinon';
import type { CommandStartedEvent, CommandSucceededEvent } from 'mongodb';
import { readReport, createLogger, type ChunkJobData, type LoadReport, type Store } from '@hcingest/shared';
import { MARK_GRACE_MS, processChunk, sweepWriteMarks } from '@hcingest/worker';
import { chunk, newLoad, row, writerStore } from '../harness/chunks.js';
import { Random } from '@hcingest/generator';
import { isolatedEnv } from '../harness/processes.js';
import { beforeCommand, CommandStepper, Crash } from '../harness/commandGates.js';

/**
 * A reload writes only what changed: an admission found as an earlier load left it costs no
 * write at all. Exactness must hold anyway when an earlier row of the same admission, with
 * other values, is written in any order against the unchanged one: the earlier row must never
 * win. Every interleaving of the two chunks' commands is tried, a crash at each step too, and
 * both chunks at once, many times.
 */
const log = createLogger('test', 'silent');

/** The amounts of two rows of one admission in one load, stored with amount 1 before it. */
interface Pair {
  earlier: string;
  later: string;
}
/** Every kind of pair: each row unchanged (1) or changed (2, 3) against the stored admission. */
const PAIRS: Pair[] = [
  { earlier: '2', later: '1' },
  { earlier: '1', later: '1' },
  { earlier: '1', later: '2' },
  { earlier: '2', later: '3' },
];

describe('unchanged rows: a reload writes only what changed, and stays exact under races', function () {
  const env = isolatedEnv('unch');
  let store: Store;
  /** a second connection, so that two chunks are really written at once */
  let other: Store;
  let trial = 0;

  before(async () => {
    store = await writerStore(env, { monitorCommands: true });
    other = await writerStore(env);
  });
  after(async () => {
    await store?.client.close();
    await other?.client.close();
  });
  afterEach(() => sinon.restore());

  /**
   * A fresh admission stored with amount 1 by a base load, then a load of two chunks with a row
   * of it each: chunk 0 (row 1, the earlier row) and chunk 1 (row 2, the later row), with the
   * amounts of `pair`. Whatever the order, the load ends with the later row's amount, the later
   * row's outcome against amount 1, and 1 superseded.
   */
  async function twoChunkLoad(pair: Pair) {
    trial += 1;
    const name = `Una Race${String.fromCharCode(97 + (trial % 26))}${trial}`;
    const base = `base${trial}`;
    const load = `reload${trial}`;
    await newLoad(store, base, 1, 1);
    await processChunk(store, chunk(base, 0, 1, [row(name, '1')]), log);
    await newLoad(store, load, 2, 2);
    return {
      pair,
      name,
      load,
      earlier: chunk(load, 0, 1, [row(name, pair.earlier)]),
      later: chunk(load, 1, 2, [row(name, pair.later)]),
    };
  }

  async function expectExact(t: Awaited<ReturnType<typeof twoChunkLoad>>, label: string) {
    const doc = await store.patients.findOne({ Name: t.name });
    expect(doc?.['Billing Amount']?.valueOf(), `${label}: the later row's amount`).to.equal(Number(t.pair.later));
    const report = (await readReport(store, t.load))!;
    const unchanged = t.pair.later === '1' ? 1 : 0;
    expect(report, label).to.include({
      state: 'completed',
      rowsProcessed: 2,
      inserted: 0,
      updated: 1 - unchanged,
      unchanged,
      superseded: 1,
      stale: 0,
    });
  }

  describe('a reload', function () {
    it('writes no document for unchanged rows and updates exactly the changed ones (2 %)', async function () {
      const names = Array.from({ length: 200 }, (_, i) => `Ray Load${String.fromCharCode(97 + (i % 26))}${i}`);
      const records = (changed: Set<number>) => names.map((n, i) => row(n, String(changed.has(i) ? 500 + i : 100 + i)));
      const loadOf = async (id: string, recs: string[]) => {
        await newLoad(store, id, 4, recs.length);
        for (let c = 0; c < 4; c++)
          await processChunk(store, chunk(id, c, c * 50 + 1, recs.slice(c * 50, c * 50 + 50)), log);
      };
      await loadOf('first', records(new Set()));

      const started: CommandStartedEvent[] = [];
      const succeeded: CommandSucceededEvent[] = [];
      const onStart = (e: CommandStartedEvent) => started.push(e);
      const onSuccess = (e: CommandSucceededEvent) => succeeded.push(e);
      store.client.on('commandStarted', onStart).on('commandSucceeded', onSuccess);
      const patientUpdates = () => {
        const ids = new Set(
          started.filter((e) => e.commandName === 'update' && e.command.update === 'patients').map((e) => e.requestId),
        );
        const statements = started
          .filter((e) => ids.has(e.requestId))
          .reduce((n, e) => n + (e.command.updates as unknown[]).length, 0);
        const modified = succeeded
          .filter((e) => ids.has(e.requestId))
          .reduce((n, e) => n + Number((e.reply as { nModified?: number }).nModified ?? 0), 0);
        return { statements, modified };
      };
      try {
        await loadOf('identical', records(new Set()));
        expect(patientUpdates(), 'an identical reload').to.deep.equal({ statements: 0, modified: 0 });
        expect(await readReport(store, 'identical')).to.include({ unchanged: 200, updated: 0, inserted: 0 });

        started.length = 0;
        succeeded.length = 0;
        const changed = new Set([3, 77, 120, 199]); // 2 % of 200
        await loadOf('twopercent', records(changed));
        expect(patientUpdates(), 'a reload with 2 % changed').to.deep.equal({ statements: 4, modified: 4 });
        expect(await readReport(store, 'twopercent')).to.include({ unchanged: 196, updated: 4, inserted: 0 });
        const stored = await store.patients.find({ Name: { $in: names } }).toArray();
        const amount = new Map(stored.map((d) => [d.Name, d['Billing Amount']?.valueOf()]));
        names.forEach((n, i) => expect(amount.get(n), n).to.equal(changed.has(i) ? 500 + i : 100 + i));
      } finally {
        store.client.off('commandStarted', onStart).off('commandSucceeded', onSuccess);
      }
    });
  });

  describe('rows of one admission in several chunks, racing', function () {
    for (const pair of PAIRS) {
      const kind = `earlier row ${pair.earlier === '1' ? 'unchanged' : 'changed'}, later row ${pair.later === '1' ? 'unchanged' : 'changed'}`;
      for (const [first, second] of [
        ['earlier', 'later'],
        ['later', 'earlier'],
      ] as const) {
        it(`${kind}: exact when the ${second} chunk runs before each command of the ${first} chunk`, async function () {
          for (let k = 0; ; k++) {
            const t = await twoChunkLoad(pair);
            const gate = beforeCommand(store, k, async () => {
              await processChunk(other, t[second], log);
            });
            await processChunk(store, t[first], log);
            sinon.restore();
            if (!gate.ran()) await processChunk(other, t[second], log);
            await expectExact(t, `${second} before command ${k} of ${first}`);
            if (!gate.ran()) break; // every command of the first chunk has had the other before it
          }
        });

        it(`${kind}: exact when the ${first} chunk crashes at each command and is retried, the ${second} one in between`, async function () {
          for (let k = 0; ; k++) {
            const t = await twoChunkLoad(pair);
            const gate = beforeCommand(store, k, () => Promise.reject(new Crash(`crash before command ${k}`)));
            const crashed = await processChunk(store, t[first], log).then(
              () => false,
              (err: unknown) => (err instanceof Crash ? true : Promise.reject(err)),
            );
            sinon.restore();
            await processChunk(other, t[second], log);
            await processChunk(store, t[first], log);
            await expectExact(t, `${first} crashed before command ${k}, retried after ${second}`);
            if (!crashed) break;
            expect(gate.ran()).to.equal(true);
          }
        });
      }

      it(`${kind}: exact with both chunks written at once, 40 times`, async function () {
        for (let i = 0; i < 40; i++) {
          const t = await twoChunkLoad(pair);
          const [a, b] = i % 2 === 0 ? [t.earlier, t.later] : [t.later, t.earlier];
          await Promise.all([processChunk(store, a, log), processChunk(other, b, log)]);
          await expectExact(t, `at once, trial ${i}`);
        }
      });
    }

    it('three rows of one admission in three chunks: exact for every mix of unchanged and changed rows, in every order and at once', async function () {
      const orders = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
      ];
      for (const amounts of [
        ['1', '1', '1'],
        ['1', '2', '1'],
        ['2', '1', '1'],
        ['1', '1', '2'],
        ['2', '1', '3'],
      ]) {
        for (const order of [...orders, 'at once'] as const) {
          trial += 1;
          const name = `Tri Race${String.fromCharCode(97 + (trial % 26))}${trial}`;
          const load = `tri${trial}`;
          await newLoad(store, `tribase${trial}`, 1, 1);
          await processChunk(store, chunk(`tribase${trial}`, 0, 1, [row(name, '1')]), log);
          await newLoad(store, load, 3, 3);
          const chunks = amounts.map((a, c) => chunk(load, c, c + 1, [row(name, a)]));
          if (order === 'at once') await Promise.all(chunks.map((c, i) => processChunk(i % 2 ? other : store, c, log)));
          else for (const c of order) await processChunk(store, chunks[c]!, log);
          const label = `amounts ${amounts.join(',')}, ${order === 'at once' ? order : `order ${order.join(',')}`}`;
          const last = amounts[2]!;
          expect((await store.patients.findOne({ Name: name }))?.['Billing Amount']?.valueOf(), label).to.equal(
            Number(last),
          );
          expect(await readReport(store, load), label).to.include({
            state: 'completed',
            inserted: 0,
            updated: last === '1' ? 0 : 1,
            unchanged: last === '1' ? 1 : 0,
            superseded: 2,
            stale: 0,
          });
        }
      }
    });
  });

  describe('rows of one admission interleaved command by command', function () {
    // A database of its own: the marks its rows read are their own.
    const stepEnv = isolatedEnv('steps');
    /** one connection per chunk written at once, each with its own gates; the first also sets up and checks */
    const stores: Store[] = [];
    let main: Store;
    before(async () => {
      stores.push(...(await Promise.all([1, 2, 3, 4].map(() => writerStore(stepEnv)))));
      main = stores[0]!;
    });
    after(async () => Promise.all(stores.map((s) => s.client.close())));

    /** A new admission, stored with amount 1 by a base load. */
    async function storedAdmission() {
      trial += 1;
      const name = `Qua Race${String.fromCharCode(97 + (trial % 26))}${trial}`;
      const base = `quadbase${trial}`;
      await newLoad(main, base, 1, 1);
      await processChunk(main, chunk(base, 0, 1, [row(name, '1')]), log);
      return { name, base, load: `quad${trial}` };
    }

    /** An admission stored with amount 1 by a base load, then a load of one chunk per amount. */
    async function rowsOfOneAdmission(amounts: string[]) {
      const { name, base, load } = await storedAdmission();
      await newLoad(main, load, amounts.length, amounts.length);
      return { name, base, load, amounts, chunks: amounts.map((a, c) => chunk(load, c, c + 1, [row(name, a)])) };
    }

    /**
     * The last row's amount is stored, written by the last row (or, left unchanged, by the base
     * load still); the last row is counted against amount 1, every other row superseded.
     */
    async function expectLastRowWins(t: Awaited<ReturnType<typeof rowsOfOneAdmission>>, label: string) {
      const last = t.amounts.at(-1)!;
      const doc = await main.patients.findOne({ Name: t.name });
      expect(doc?.['Billing Amount']?.valueOf(), `${label}: the last row’s amount`).to.equal(Number(last));
      const wrote = { loadId: doc?._ingest.loadId, row: doc?._ingest.row };
      const untouched = last === '1' && wrote.loadId !== t.load;
      expect(wrote, `${label}: who wrote it last`).to.deep.equal(
        untouched ? { loadId: t.base, row: 1 } : { loadId: t.load, row: t.amounts.length },
      );
      expect(await readReport(main, t.load), label).to.include({
        state: 'completed',
        inserted: 0,
        updated: last === '1' ? 0 : 1,
        unchanged: last === '1' ? 1 : 0,
        superseded: t.amounts.length - 1,
        stale: 0,
      });
    }

    // Rows 1-3: row 1 changes the admission, rows 2 and 3 leave it as it is. Row 3 records its
    // mark after row 2's and reads the marks before row 1 records its intent: it sees no change
    // coming and writes nothing. Row 1 then sees rows 2 and 3 and loses. Row 2, reading last,
    // sees row 1's intent. Writing for it would put row 2 over row 3's decision (and its
    // provenance), and a row 4 reading the store afterwards would find row 2's write, not row 3,
    // and count row 3 as well as itself.
    for (const fourth of [undefined, '1', '3'] as const) {
      const then =
        fourth === undefined ? 'row 3 is the last' : `a row 4 ${fourth === '1' ? 'unchanged' : 'changed'} follows`;
      it(`an earlier change that loses, seen by one unchanged row and not by a later one; ${then}: exact`, async function () {
        const t = await rowsOfOneAdmission(['2', '1', '1', ...(fourth === undefined ? [] : [fourth])]);
        const [first, second, third] = stores.map((s) => new CommandStepper(s)) as [
          CommandStepper,
          CommandStepper,
          CommandStepper,
        ];
        const work = [first, second, third].map((s, i) => s.ended(processChunk(stores[i]!, t.chunks[i]!, log)));
        // Commands 0 and 1: the insert that finds the admission, the read of its stored state.
        for (const s of [first, second, third]) await s.runTo(2);
        await second.runTo(3); // command 2: row 2's mark
        await third.runTo(3); // row 3's mark
        await third.finish(); // row 3 reads the marks: row 2's only
        await first.finish(); // row 1 records its intent, sees rows 2 and 3: it loses
        await second.finish(); // row 2 sees row 1's intent and row 3's mark
        await Promise.all(work);
        sinon.restore();
        if (fourth !== undefined) await processChunk(main, t.chunks[3]!, log);
        await expectLastRowWins(t, then);
      });
    }

    // Row 1 changes the admission, rows 2 and 3 leave it as it is. Row 2 reads the marks alone:
    // it writes nothing. Row 3 sees row 1's intent and row 2's mark: it writes (its version
    // must win over row 1's) and is the one to count row 2 as replaced. Its chunk crashes after
    // the write; processed again, it finds its own write and reads no marks. Row 2 must still
    // be counted back once.
    it('a chunk that crashes after writing still counts back the unchanged row the marks showed it replaced', async function () {
      const t = await rowsOfOneAdmission(['2', '1', '1']);
      const [first, second] = stores.slice(0, 2).map((s) => new CommandStepper(s)) as [CommandStepper, CommandStepper];
      const work = [first, second].map((s, i) => s.ended(processChunk(stores[i]!, t.chunks[i]!, log)));
      // Commands 0-2: the insert that finds the admission, the read of its state, the mark.
      for (const s of [first, second]) await s.runTo(2);
      await second.finish(); // row 2: its mark, no other; it writes nothing
      await first.runTo(3); // row 1's intent to change
      // Row 3: crashes at the first command on the claims after its write to patients.
      const third = stores[2]!;
      let wrote = false;
      const bulkWrite = third.patients.bulkWrite.bind(third.patients);
      sinon.stub(third.patients, 'bulkWrite').callsFake(async (...args: Parameters<typeof bulkWrite>) => {
        const result = await bulkWrite(...args);
        wrote = true;
        return result;
      });
      for (const step of ['insertMany', 'find'] as const) {
        const original = third.replacements[step].bind(third.replacements) as (...args: unknown[]) => unknown;
        sinon.stub(third.replacements, step).callsFake(((...args: unknown[]) => {
          if (wrote) throw new Crash('after the write');
          return original(...args);
        }) as never);
      }
      const crashed = await processChunk(third, t.chunks[2]!, log).then(
        () => false,
        (err: unknown) => err instanceof Crash,
      );
      expect({ wrote, crashed }, 'row 3 wrote, then its chunk crashed').to.deep.equal({ wrote: true, crashed: true });
      await first.finish(); // row 1 sees rows 2 and 3: it loses
      await Promise.all(work);
      sinon.restore();
      await processChunk(third, t.chunks[2]!, log); // row 3's chunk again
      await expectLastRowWins(t, 'row 3 retried after its write');
    });

    /**
     * Writes the chunks one command at a time, the chunk drawn at random; up to `crashes` times,
     * the drawn chunk's next command fails instead and the chunk is processed again when it is
     * next drawn. Returns the schedule: the chunks drawn, x a crash, r a retry.
     */
    async function interleave(random: Random, chunks: ChunkJobData[], crashes: number): Promise<string> {
      const steppers = stores.map((s) => new CommandStepper(s));
      const state: ('running' | 'crashed' | 'done')[] = [];
      const attempt = (i: number) => {
        state[i] = 'running';
        return steppers[i]!.ended(processChunk(stores[i]!, chunks[i]!, log)).then(
          () => void (state[i] = 'done'),
          (err: unknown) => (err instanceof Crash ? void (state[i] = 'crashed') : Promise.reject(err)),
        );
      };
      const work = chunks.map((_, i) => attempt(i));
      const sent = steppers.map(() => 0);
      let trace = '';
      for (let open = chunks.map((_, i) => i); open.length > 0; open = open.filter((i) => state[i] !== 'done')) {
        const i = random.pick(open);
        if (state[i] === 'crashed') {
          work.push(attempt(i));
          sent[i] = 0;
          trace += 'r';
        } else if (crashes > 0 && random.chance(0.03)) {
          steppers[i]!.crashAt(sent[i]!);
          crashes -= 1;
          trace += 'x';
        }
        trace += i;
        await steppers[i]!.runTo(++sent[i]!);
        await Promise.resolve(); // lets an attempt that has just ended say how
      }
      await Promise.all(work);
      sinon.restore();
      return trace;
    }

    const someAmounts = (random: Random, n: number) =>
      Array.from({ length: n }, () => random.pick(['1', '1', '2', '3']));
    const crashesIn = (trace: string) => trace.split('x').length - 1;

    /** Four rows of one admission, each unchanged or changed, in four chunks: exact whatever the schedule. */
    async function randomSchedule(random: Random, crashes: number): Promise<string> {
      const t = await rowsOfOneAdmission(someAmounts(random, 4));
      const trace = await interleave(random, t.chunks, crashes);
      await expectLastRowWins(t, `amounts ${t.amounts.join(',')}, chunks ${trace}`);
      return trace;
    }

    it('four rows of every kind, 150 seeded random schedules of their commands: exact', async function () {
      const random = new Random(20261205); // seeded: a failing schedule can be replayed
      for (let schedule = 0; schedule < 150; schedule++) await randomSchedule(random, 0);
    });

    it('the same with up to two chunks crashing before a random command, each processed again: exact', async function () {
      const random = new Random(20261206);
      let crashed = 0;
      for (let schedule = 0; schedule < 100; schedule++) crashed += crashesIn(await randomSchedule(random, 2));
      expect(crashed, 'schedules crashed chunks').to.be.greaterThan(50);
    });

    it('two loads of two rows each, 100 seeded random schedules with crashes: the later load wins, every row counted once', async function () {
      const random = new Random(20261207);
      let crashed = 0;
      for (let schedule = 0; schedule < 100; schedule++) {
        const t = await storedAdmission();
        const amounts = someAmounts(random, 4);
        const loads = [`${t.load}-1`, `${t.load}-2`] as const;
        for (const l of loads) await newLoad(main, l, 2, 2);
        const chunks = amounts.map((a, c) => chunk(loads[c >> 1]!, c % 2, (c % 2) + 1, [row(t.name, a)]));
        const trace = await interleave(random, chunks, 2);
        crashed += crashesIn(trace);

        const label = `amounts ${amounts.join(',')}, chunks ${trace}`;
        const doc = await main.patients.findOne({ Name: t.name });
        expect(doc?.['Billing Amount']?.valueOf(), `${label}: the later load’s last row`).to.equal(Number(amounts[3]));
        const [earlier, later] = (await Promise.all(loads.map((l) => readReport(main, l)))) as [LoadReport, LoadReport];
        const outcomes = (r: LoadReport) => [r.inserted, r.updated, r.unchanged, r.superseded, r.stale];
        for (const r of [earlier, later]) {
          expect(Math.min(...outcomes(r)), `${label}: ${JSON.stringify(outcomes(r))}`).to.be.at.least(0);
          expect(r, label).to.include({ state: 'completed', inserted: 0 });
          expect(
            outcomes(r).reduce((a, b) => a + b),
            `${label}: every row once`,
          ).to.equal(2);
        }
        // The earlier load's rows may lose to the later load (stale) in any order; the later
        // load's first row is replaced by its second, which counts against what it found.
        expect(later, label).to.include({ superseded: 1, stale: 0 });
        expect(earlier.superseded, label).to.be.at.most(1);
      }
      expect(crashed, 'schedules crashed chunks').to.be.greaterThan(50);
    });
  });

  describe('loads racing', function () {
    // Load 1's row 1 leaves the admission unchanged: its chunk records the mark and crashes.
    // Row 2 (changed) sees that mark and may claim row 1 as replaced, counting back its
    // "unchanged". Load 2 then writes the admission, and row 1's chunk, processed again, finds
    // it written by a later load: stale. Whichever comes first, row 2's claim or row 1's retry,
    // load 1 must count each row once, never a negative count.
    for (const row2First of [true, false]) {
      it(`counts once a row marked unchanged by a crashed attempt and found stale when retried, ${row2First ? 'after' : 'before'} a later row of its load claims it`, async function () {
        trial += 1;
        const name = `Sta Race${String.fromCharCode(97 + (trial % 26))}${trial}`;
        const [base, first, second] = ['sbase', 'sfirst', 'ssecond'].map((l) => `${l}${trial}`) as [
          string,
          string,
          string,
        ];
        await newLoad(store, base, 1, 1);
        await processChunk(store, chunk(base, 0, 1, [row(name, '1')]), log);
        await newLoad(store, first, 2, 2);
        await newLoad(store, second, 1, 1);
        const row1 = chunk(first, 0, 1, [row(name, '1')]);
        const row2 = chunk(first, 1, 2, [row(name, '3')]);

        // Commands 0-2: the insert that finds the admission, the read of its state, the mark.
        beforeCommand(store, 3, () => Promise.reject(new Crash('after the mark')));
        const crashed = await processChunk(store, row1, log).then(
          () => false,
          (err: unknown) => err instanceof Crash,
        );
        expect(crashed, 'row 1’s first attempt crashed after its mark').to.equal(true);
        sinon.restore();
        if (row2First) await processChunk(store, row2, log);
        await processChunk(store, chunk(second, 0, 1, [row(name, '2')]), log);
        await processChunk(store, row1, log);
        if (!row2First) await processChunk(store, row2, log);

        expect((await store.patients.findOne({ Name: name }))?.['Billing Amount']?.valueOf()).to.equal(2);
        const report = (await readReport(store, first))!;
        const counts = [report.inserted, report.updated, report.unchanged, report.superseded, report.stale];
        expect(Math.min(...counts), JSON.stringify(report)).to.be.at.least(0);
        expect(report).to.include(
          row2First
            ? { state: 'completed', inserted: 0, updated: 1, unchanged: 0, superseded: 1, stale: 0 }
            : { state: 'completed', inserted: 0, updated: 0, unchanged: 0, superseded: 0, stale: 2 },
        );
      });
    }

    it('lets a later load that found an admission unchanged win over an earlier load that finishes last', async function () {
      const t = await twoChunkLoad({ earlier: '2', later: '1' }); // its base load stored amount 1
      await newLoad(store, `${t.load}-later`, 1, 1);
      // The later load has the stored values: nothing written. Then the earlier load's chunk 0
      // (amount 2) arrives: it must not win over the later load.
      const later = await processChunk(store, chunk(`${t.load}-later`, 0, 1, [row(t.name, '1')]), log);
      const early = await processChunk(store, t.earlier, log);
      expect(later.counts).to.include({ unchanged: 1 });
      expect(early.counts).to.include({ stale: 1, updated: 0 });
      expect((await store.patients.findOne({ Name: t.name }))?.['Billing Amount']?.valueOf()).to.equal(1);
    });
  });
});

describe('write marks: swept once no row can race with them', function () {
  const env = isolatedEnv('sweep');
  let store: Store;
  before(async () => (store = await writerStore(env)));
  after(async () => store?.client.close());

  it('keeps a load’s marks while an earlier load is incomplete or the grace has not passed, then deletes them', async function () {
    const marksOf = (loadId: string) => store.writeMarks.countDocuments({ loadId });
    const afterGrace = () => Date.now() + MARK_GRACE_MS + 1000;
    await newLoad(store, 'sw0', 1, 2);
    await processChunk(store, chunk('sw0', 0, 1, [row('Sam Sweep', '1'), row('Sal Sweep', '1')]), log);
    // An earlier load, left with one of its two chunks to go, then a complete later reload.
    await newLoad(store, 'sw1', 2, 2);
    await processChunk(store, chunk('sw1', 0, 1, [row('Sam Sweep', '2')]), log);
    await newLoad(store, 'sw2', 1, 2);
    await processChunk(store, chunk('sw2', 0, 1, [row('Sam Sweep', '1'), row('Sal Sweep', '1')]), log);
    expect(await marksOf('sw2')).to.equal(1);

    expect(await sweepWriteMarks(store, afterGrace())).to.equal(0);
    expect(await marksOf('sw2'), 'sw1 may still write').to.equal(1);

    await processChunk(store, chunk('sw1', 1, 2, [row('Sal Sweep', '2')]), log);
    expect(await sweepWriteMarks(store), 'within the grace').to.equal(0);
    const marks = await store.writeMarks.countDocuments({});
    const claims = await store.replacements.countDocuments({});
    expect(marks, 'sw1 and sw2 left marks').to.be.at.least(2);
    expect(await sweepWriteMarks(store, afterGrace())).to.equal(marks + claims);
    expect(await store.writeMarks.countDocuments({})).to.equal(0);
    expect(await store.replacements.countDocuments({})).to.equal(0);
  });
});
