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
