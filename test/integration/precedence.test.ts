import { expect } from 'chai';
import { readReport, createLogger, type Store } from '@hcingest/shared';
import { processChunk } from '@hcingest/worker';
import { chunk, newLoad as recordLoad, row, writerStore } from '../harness/chunks.js';
import { isolatedEnv } from '../harness/processes.js';

/**
 * Precedence and retries, with chunks handed to the worker's chunk processor in chosen
 * orders against the real store: the outcome must not depend on the order.
 */
const log = createLogger('test', 'silent');

describe('precedence: later rows and later loads win, whatever the order', function () {
  let store: Store;

  before(async function () {
    store = await writerStore(isolatedEnv('prec'));
  });
  after(async () => store?.client.close());

  const newLoad = (loadId: string, chunks: number, rows: number) => recordLoad(store, loadId, chunks, rows);
  /** A family name from a test label, in the form names are stored in ("corr-a" -> "Corra"). */
  const who = (label: string) => label.charAt(0).toUpperCase() + label.slice(1).replace(/-/g, '');
  const billingOf = async (name: string) =>
    (await store.patients.findOne({ Name: name }))?.['Billing Amount']?.valueOf() as number | undefined;

  it('keeps the later correction when chunks finish in reverse order', async function () {
    // rows 1-2 | 3-4 | 5: "Ann Lee" is corrected in row 3 and again in row 5.
    const c0 = chunk('order1', 0, 1, [row('Ann Lee', '100'), row('Bob Ray', '1')]);
    const c1 = chunk('order1', 1, 3, [row('ann LEE', '200'), row('Cy Po', '2')]);
    const c2 = chunk('order1', 2, 5, [row('ANN lee', '300')]);
    await newLoad('order1', 3, 5);
    const r2 = await processChunk(store, c2, log);
    const r1 = await processChunk(store, c1, log);
    const r0 = await processChunk(store, c0, log);
    expect(await billingOf('Ann Lee')).to.equal(300);
    // Ann's earlier rows are superseded by a later row of the same load (not stale: no other load).
    expect(r2.counts).to.include({ inserted: 1, superseded: 0 });
    expect(r1.counts).to.include({ inserted: 1, superseded: 1 });
    expect(r0.counts).to.include({ inserted: 1, superseded: 1 });
    const report = (await readReport(store, 'order1'))!;
    expect(report.state).to.equal('completed');
    expect(report).to.include({ rowsRead: 5, inserted: 3, superseded: 2, stale: 0, updated: 0, rejected: 0 });
  });

  it('gives the same load totals whichever order the chunks finish in', async function () {
    const totals: Record<string, number>[] = [];
    for (const [name, order] of [
      ['inorder', [0, 1]],
      ['reversed', [1, 0]],
    ] as const) {
      // Dee Fox written twice in chunk 0, corrected in chunk 1; Ida Lu only in chunk 1.
      const chunks = [
        chunk(name, 0, 1, [row(`Dee ${who(name)}`, '100'), row(`Dee ${who(name)}`, '100')]),
        chunk(name, 1, 3, [row(`Dee ${who(name)}`, '150'), row(`Ida ${who(name)}`, '7')]),
      ];
      await newLoad(name, 2, 4);
      for (const i of order) await processChunk(store, chunks[i]!, log);
      const r = (await readReport(store, name))!;
      totals.push({ inserted: r.inserted, superseded: r.superseded, updated: r.updated, unchanged: r.unchanged });
      expect(await billingOf(`Dee ${who(name)}`)).to.equal(150);
    }
    expect(totals[0]).to.deep.equal({ inserted: 2, superseded: 2, updated: 0, unchanged: 0 });
    expect(totals[1]).to.deep.equal(totals[0]);
  });

  it('compares the last row of an admission with the admission before the load, in any order', async function () {
    for (const [name, order, last, outcome] of [
      ['corr-a', [0, 1], '300', 'updated'],
      ['corr-b', [1, 0], '300', 'updated'],
      // corrected, then put back as it was before the load: nothing changed
      ['back-a', [0, 1], '100', 'unchanged'],
      ['back-b', [1, 0], '100', 'unchanged'],
    ] as const) {
      await newLoad(`${name}-1`, 1, 1);
      await processChunk(store, chunk(`${name}-1`, 0, 1, [row(`Kim ${who(name)}`, '100')]), log);
      await newLoad(`${name}-2`, 2, 2);
      const chunks = [
        chunk(`${name}-2`, 0, 1, [row(`Kim ${who(name)}`, '200')]),
        chunk(`${name}-2`, 1, 2, [row(`Kim ${who(name)}`, last)]),
      ];
      for (const i of order) await processChunk(store, chunks[i]!, log);
      const r = (await readReport(store, `${name}-2`))!;
      expect(r, name).to.include({ inserted: 0, superseded: 1, stale: 0, [outcome]: 1 });
      expect(r.updated + r.unchanged, name).to.equal(1);
      expect(await billingOf(`Kim ${who(name)}`)).to.equal(Number(last));
    }
  });

  it('counts a chunk once when it is processed again, and leaves the data as it was', async function () {
    const c0 = chunk('retry1', 0, 1, [row('Eve Kim', '10'), row('Eve Kim', '20'), row('', '1')]);
    await newLoad('retry1', 1, 3);
    const first = await processChunk(store, c0, log);
    const again = await processChunk(store, c0, log);
    expect(first.accounted).to.equal(true);
    expect(again.accounted).to.equal(false);
    // The retry recomputes the same outcome from what it finds stored.
    expect(again.counts).to.deep.equal(first.counts);
    expect(await billingOf('Eve Kim')).to.equal(20);
    expect(await store.patients.countDocuments({ Name: 'Eve Kim' })).to.equal(1);
    expect(await store.rejects.countDocuments({ loadId: 'retry1' })).to.equal(1);
    const report = (await readReport(store, 'retry1'))!;
    expect(report).to.include({ rowsRead: 3, rowsProcessed: 3, inserted: 1, superseded: 1, updated: 0, rejected: 1 });
  });

  it('lets a later load win over an earlier one even when the earlier load finishes last', async function () {
    await newLoad('early', 1, 1);
    await newLoad('late', 1, 1);
    const late = await processChunk(store, chunk('late', 0, 1, [row('Fay Wu', '2')]), log);
    const early = await processChunk(store, chunk('early', 0, 1, [row('Fay Wu', '1')]), log);
    expect(late.counts.inserted).to.equal(1);
    expect(early.counts.stale).to.equal(1);
    expect(await billingOf('Fay Wu')).to.equal(2);
  });

  it('counts an identical row of a later load as unchanged, and leaves its document as it was', async function () {
    await newLoad('same1', 1, 1);
    await newLoad('same2', 1, 1);
    await processChunk(store, chunk('same1', 0, 1, [row('Gil Ng', '5')]), log);
    const before = await store.patients.findOne({ Name: 'Gil Ng' });
    const second = await processChunk(store, chunk('same2', 0, 1, [row('GIL NG', '5.00')]), log);
    expect(second.counts).to.include({ unchanged: 1, inserted: 0 });
    // Nothing written: the values and the provenance stay those of the load that wrote them.
    expect(await store.patients.findOne({ Name: 'Gil Ng' })).to.deep.equal(before);
    expect(before?._ingest.loadId).to.equal('same1');
  });

  it('treats hospitals differing only in case as the same admission', async function () {
    await newLoad('hosp', 1, 2);
    const r = await processChunk(
      store,
      chunk('hosp', 0, 1, [row('Hal Oz', '1', 'Price PLC'), row('Hal Oz', '2', 'PRICE plc')]),
      log,
    );
    expect(r.counts).to.include({ inserted: 1, superseded: 1 });
    expect(await store.patients.countDocuments({ Name: 'Hal Oz' })).to.equal(1);
    expect((await store.patients.findOne({ Name: 'Hal Oz' }))?.Hospital).to.equal('PRICE plc');
  });
});
