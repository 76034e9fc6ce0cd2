import sinon from 'sinon';
import type { Store } from '@hcingest/shared';

/**
 * Gates in front of the commands a chunk's write sends, for tests that interleave chunks step by
 * step: the store's patients, write_marks and replacements collections, reads included (a cursor
 * is made at once and sent on first use: the gate goes in front of that), one gate per command
 * sent. Restore with `sinon.restore()`.
 */
type Step = 'insertMany' | 'bulkWrite' | 'insertOne' | 'updateOne' | 'find';
const STEPS: Record<'patients' | 'writeMarks' | 'replacements', Step[]> = {
  patients: ['insertMany', 'bulkWrite', 'find'],
  writeMarks: ['insertOne', 'updateOne', 'find'],
  replacements: ['insertMany', 'find'],
};

/** What happens around each command: `before` it is sent (it may wait, or throw instead), `after` its reply. */
interface Gate {
  before(n: number): Promise<void>;
  after(n: number): void;
}

/** Puts `gate` around every command of the write path; it receives the command's number from 0. */
function gateCommands(store: Store, gate: Gate): void {
  let n = 0;
  // The driver's insertMany calls bulkWrite, at once: a call made within another is the same command.
  let within = false;
  const send = (original: (...args: unknown[]) => unknown, args: unknown[]) => {
    within = true;
    try {
      return original(...args);
    } finally {
      within = false;
    }
  };
  for (const name of ['patients', 'writeMarks', 'replacements'] as const) {
    const coll = store[name] as unknown as Record<Step, (...args: unknown[]) => unknown>;
    for (const step of STEPS[name]) {
      const original = coll[step]!.bind(coll);
      if (step !== 'find') {
        sinon.stub(coll, step).callsFake(async (...args: unknown[]) => {
          if (within) return original(...args);
          const k = n++;
          await gate.before(k);
          try {
            return await send(original, args);
          } finally {
            gate.after(k);
          }
        });
        continue;
      }
      sinon.stub(coll, step).callsFake((...args: unknown[]) => {
        const cursor = original(...args) as { toArray: () => Promise<unknown[]> } & AsyncIterable<unknown>;
        const toArray = cursor.toArray.bind(cursor);
        const iterate = cursor[Symbol.asyncIterator].bind(cursor);
        // One gate per cursor: the driver's toArray iterates the cursor itself.
        let gated = false;
        const once = async (): Promise<number | undefined> => {
          if (gated) return undefined;
          gated = true;
          const k = n++;
          await gate.before(k);
          return k;
        };
        cursor.toArray = async () => {
          const k = await once();
          try {
            return await toArray();
          } finally {
            if (k !== undefined) gate.after(k);
          }
        };
        cursor[Symbol.asyncIterator] = async function* () {
          const k = await once();
          try {
            yield* { [Symbol.asyncIterator]: iterate };
          } finally {
            if (k !== undefined) gate.after(k);
          }
        };
        return cursor;
      });
    }
  }
}

/** Runs `hook` before the k-th command (counted from 0); `ran` tells whether it has run. */
export function beforeCommand(store: Store, k: number, hook: () => Promise<void>): { ran: () => boolean } {
  let ran = false;
  gateCommands(store, {
    before: async (n) => {
      if (n !== k) return;
      ran = true;
      await hook();
    },
    after: () => undefined,
  });
  return { ran: () => ran };
}

/** The failure a `CommandStepper` puts in place of a command, like a connection lost before it is sent. */
export class Crash extends Error {}

/**
 * Holds a store's commands until the test lets them go: `runTo(k)` lets commands 0..k-1 be sent
 * and resolves once their replies are in and command k is waiting (or the work using the store
 * has ended, see `ended`), so that a schedule of steps runs the same way every time. `crashAt(k)`
 * makes command k fail with `Crash` instead of being sent; `ended` with a new attempt of the work
 * counts its commands from 0 again.
 */
export class CommandStepper {
  private allowed = 0;
  private waiting = new Map<number, () => void>();
  private arrived = 0;
  private done = false;
  private crash: number | undefined;
  /** commands of earlier attempts */
  private offset = 0;
  private total = 0;
  /** commands let go whose reply is not in yet, by their number across attempts */
  private inFlight = new Set<number>();
  private onChange: (() => void) | undefined;

  constructor(store: Store) {
    gateCommands(store, {
      before: (n) => this.gate(n),
      after: (n) => {
        this.inFlight.delete(n);
        this.onChange?.();
      },
    });
  }

  /** The work (an attempt) that uses the store from now on; `runTo` no longer waits once it has ended. */
  ended<T>(work: Promise<T>): Promise<T> {
    this.offset = this.total;
    this.allowed = 0;
    this.arrived = 0;
    this.crash = undefined;
    this.done = false;
    const end = () => {
      this.done = true;
      this.onChange?.();
    };
    work.then(end, end);
    return work;
  }

  /** Lets commands before `k` go and waits until command `k` is held, or the work has ended. */
  async runTo(k: number): Promise<void> {
    this.allowed = Math.max(this.allowed, k);
    for (const [n, go] of this.waiting) {
      if (n >= k) continue;
      this.waiting.delete(n);
      this.inFlight.add(this.offset + n);
      go();
    }
    while (!this.done && (this.arrived <= k || this.inFlight.size > 0)) {
      await new Promise<void>((resolve) => (this.onChange = resolve));
    }
  }

  /** Command `k` fails with `Crash` once it is let go. */
  crashAt(k: number): void {
    this.crash = k;
  }

  isDone(): boolean {
    return this.done;
  }

  /** Lets every command go from now on. */
  async finish(): Promise<void> {
    await this.runTo(Number.MAX_SAFE_INTEGER);
  }

  private async gate(total: number): Promise<void> {
    this.total = total + 1;
    const n = total - this.offset;
    this.arrived = Math.max(this.arrived, n + 1);
    this.onChange?.();
    if (n < this.allowed) this.inFlight.add(total);
    else await new Promise<void>((go) => this.waiting.set(n, go)); // runTo counts it in flight
    if (n === this.crash) {
      this.inFlight.delete(total);
      throw new Crash(`crash before command ${n}`);
    }
  }
}
