import { expect } from 'chai';
import { loadConfig } from '@hcingest/shared/config';
import { connectStore, type Store } from '@hcingest/shared/store/collections';
import { withAdmissionLock } from '@hcingest/worker/write/admissionLock';
import { isolatedEnv } from '../harness/processes.js';

describe('admission lock of the write path', function () {
  let store: Store;
  before(async () => {
    store = await connectStore(loadConfig({ ...process.env, ...isolatedEnv('lock') }), 'test');
  });
  after(async () => store?.client.close());

  it('never lets two holders of the same admission overlap, and releases it', async function () {
    let inside = 0;
    let maxInside = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        withAdmissionLock(store, 'adm-1', async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await new Promise((r) => setTimeout(r, 10));
          order.push(i);
          inside--;
        }),
      ),
    );
    expect(maxInside).to.equal(1);
    expect(order).to.have.length(8);
    expect(await store.writeLocks.countDocuments({ _id: 'adm-1' })).to.equal(0);
  });

  it('does not serialize different admissions', async function () {
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      ['a', 'b', 'c'].map((id) =>
        withAdmissionLock(store, id, async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await new Promise((r) => setTimeout(r, 50));
          inside--;
        }),
      ),
    );
    expect(maxInside).to.equal(3);
  });

  it('takes over a lock abandoned by a dead worker once it has expired', async function () {
    await store.writeLocks.insertOne({ _id: 'adm-2', owner: 'dead', until: new Date(Date.now() - 1000) });
    const result = await withAdmissionLock(store, 'adm-2', async () => 'ran');
    expect(result).to.equal('ran');
  });

  it('releases the lock when the guarded work throws', async function () {
    let caught: unknown;
    try {
      await withAdmissionLock(store, 'adm-3', async () => {
        throw new Error('boom');
      });
    } catch (err) {
      caught = err;
    }
    expect((caught as Error).message).to.equal('boom');
    expect(await store.writeLocks.countDocuments({ _id: 'adm-3' })).to.equal(0);
  });
});
