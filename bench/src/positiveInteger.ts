import { InvalidArgumentError } from 'commander';

/** A commander option parser: a positive integer, or the option's error. */
export function positiveInteger(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}
