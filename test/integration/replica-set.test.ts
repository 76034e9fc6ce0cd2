import { expect } from 'chai';
import type { CommandStartedEvent } from 'mongodb';
import { createLogger, type Store } from '@hcingest/shared';
import { processChunk } from '@hcingest/worker';
import { chunk, newLoad, row, writerStore } from '../harness/chunks.js';
import { isolatedEnv } from '../harness/processes.js';

/**
 * MongoDB replica-set semantics of the write path. SecantusDB presents itself as a single-node
 * replica set (hello names set "secantus"), so the driver runs its replica-set code: retryable
 * writes (a transaction number on every write it may retry) and the write concern asked of
 * every write. On a three-member replica set the same commands are sent.
 */
const log = createLogger('test', 'silent');
const WRITES = ['insert', 'update', 'delete', 'findAndModify'];

describe('replica set: write concern and retryable writes on every write of a chunk', function () {
  for (const [setting, expected] of [
    ['majority', { w: 'majority', j: true }],
    ['journaled', { w: 1, j: true }],
  ] as const) {
    it(`MONGO_WRITE_CONCERN=${setting}: each write asks ${JSON.stringify(expected)} and is retryable`, async function () {
      const env = isolatedEnv(`rs${setting}`, { MONGO_WRITE_CONCERN: setting });
      const commands: CommandStartedEvent[] = [];
      let store: Store | undefined;
      try {
        store = await writerStore(env, { monitorCommands: true });
        const hello = await store.db.admin().command({ hello: 1 });
        // Not a given for every test server (compose's mongo is a standalone server): the
        // replica-set path is what this test is about.
        if (typeof hello.setName !== 'string') {
          console.log('      skipped: the test server is no replica set (hello names no setName)');
          return this.skip();
        }
        expect(store.client.options.retryWrites).to.equal(true);
        await newLoad(store, `Lrs${setting}`, 1, 20);
        store.client.on('commandStarted', (e) => commands.push(e));
        const job = chunk(
          `Lrs${setting}`,
          0,
          1,
          Array.from({ length: 20 }, (_, i) => row(`Pat rs${i}`, String(100 + i))),
        );
        const first = await processChunk(store, job, log);
        const again = await processChunk(store, job, log);
        expect([first.accounted, again.accounted]).to.deep.equal([true, false]);

        const writes = commands.filter((c) => WRITES.includes(c.commandName));
        expect(writes.map((c) => c.commandName)).to.include.members(['insert', 'update']);
        for (const c of writes) {
          const where = `${c.commandName} on ${String(c.command[c.commandName])}`;
          expect(c.command.writeConcern, where).to.deep.equal(expected);
          // The driver numbers a write it may retry once after a failover or a network error.
          expect(c.command.txnNumber, `${where}: retryable`).to.not.equal(undefined);
        }
      } finally {
        await store?.client.close();
      }
    });
  }
});
