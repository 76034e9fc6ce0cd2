import type { CommandStartedEvent } from 'mongodb';
import type { Store } from '@hcingest/shared';

/** The collection a command names (a getMore names it apart from its cursor), if any. */
export function commandCollection(e: CommandStartedEvent): string | undefined {
  const named: unknown = e.commandName === 'getMore' ? e.command.collection : e.command[e.commandName];
  return typeof named === 'string' ? named : undefined;
}

/**
 * Counts, from now on, with the driver's command monitoring, the commands sent by name and
 * collection ("find patients"); `onStarted` sees each command too.
 */
export function countCommands(store: Store, onStarted?: (e: CommandStartedEvent) => void): Record<string, number> {
  const commands: Record<string, number> = {};
  store.client.on('commandStarted', (e) => {
    const coll = commandCollection(e);
    const key = coll === undefined ? e.commandName : `${e.commandName} ${coll}`;
    commands[key] = (commands[key] ?? 0) + 1;
    onStarted?.(e);
  });
  return commands;
}

/** What the store's replies carried, from `watchReplies` on. */
export interface ReplySizes {
  /** the most documents one reply carried */
  largestReply: number;
  /** documents of the watched collection read whole (not as their _id only) */
  wholeDocumentsRead: number;
}

/**
 * Watches, from now on, the documents of each reply to a read (find, getMore), and counts those
 * of `collection` that came whole rather than as their _id only.
 */
export function watchReplies(store: Store, collection: string): ReplySizes {
  const reads = new Set<number>();
  const seen: ReplySizes = { largestReply: 0, wholeDocumentsRead: 0 };
  store.client.on('commandStarted', (e) => {
    const read = e.commandName === 'find' || e.commandName === 'getMore';
    if (read && commandCollection(e) === collection) reads.add(e.requestId);
  });
  store.client.on('commandSucceeded', (e) => {
    const cursor = (e.reply as { cursor?: { firstBatch?: object[]; nextBatch?: object[] } }).cursor;
    const docs = cursor?.firstBatch ?? cursor?.nextBatch ?? [];
    seen.largestReply = Math.max(seen.largestReply, docs.length);
    if (reads.delete(e.requestId)) seen.wholeDocumentsRead += docs.filter((d) => Object.keys(d).length > 1).length;
  });
  return seen;
}
