import { expect } from 'chai';
import type { FindCursor } from 'mongodb';
import { AscendingIds } from '@hcingest/worker';

/** A cursor over fixed documents, as the driver's would return them (next, then null; close). */
function cursorOf(ids: string[]) {
  const docs = ids.map((_id) => ({ _id }));
  const cursor = {
    closed: false,
    next: () => Promise.resolve(docs.shift() ?? null),
    close: () => Promise.resolve(void (cursor.closed = true)),
  };
  return cursor;
}
const over = (ids: string[], idOf?: (d: { _id: string }) => string) =>
  new AscendingIds(cursorOf(ids) as unknown as FindCursor<{ _id: string }>, idOf);

describe('AscendingIds: one side of the archive step merge join', () => {
  it('tells which of the ascending ids asked it holds', async () => {
    const ids = over(['b', 'd', 'e', 'h']);
    const asked = ['a', 'b', 'c', 'd', 'd', 'f', 'h', 'z'];
    const held = [];
    for (const id of asked) held.push(await ids.has(id));
    expect(held).to.deep.equal([false, true, false, true, true, false, true, false]);
  });

  it('reads ids through idOf (a mirror row stands for its admission)', async () => {
    const ids = over(['L:a', 'L:c'], (d) => d._id.slice(2));
    expect([await ids.has('a'), await ids.has('b'), await ids.has('c')]).to.deep.equal([true, false, true]);
  });

  it('an empty cursor holds nothing', async () => {
    expect(await over([]).has('a')).to.equal(false);
  });

  it('refuses ids asked out of order, and ids the store returns out of order, instead of answering wrong', async () => {
    const ids = over(['a', 'b']);
    await ids.has('b');
    let err: unknown;
    await ids.has('a').catch((e: unknown) => (err = e));
    expect(String(err)).to.include('asked out of ascending order');
    const unordered = over(['a', 'c', 'b']);
    err = undefined;
    await unordered.has('z').catch((e: unknown) => (err = e));
    expect(String(err)).to.include('out of ascending order');
  });

  it('closes its cursor', async () => {
    const cursor = cursorOf(['a']);
    await new AscendingIds(cursor as unknown as FindCursor<{ _id: string }>).close();
    expect(cursor.closed).to.equal(true);
  });
});
