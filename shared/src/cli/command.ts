import { Command } from 'commander';
import { EXIT } from './exitCodes.js';

/**
 * A command line whose usage errors (unknown option, missing argument, bad value) exit 2,
 * "input refused", as every command documents; --help still exits 0. Commander exits 1 by
 * default, which the commands define as "load failed".
 */
export function command(name: string): Command {
  return new Command(name).exitOverride((err) => process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.badInput));
}
