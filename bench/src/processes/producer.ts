import { startNodeProcess } from '@hcingest/devstack';
import { PRODUCER_NODE_FLAGS } from '@hcingest/producer';
import { SCRIPTS } from '../paths.js';
import type { Children } from './children.js';

/** A producer process: its pid, and its stdout once it has exited 0. */
export interface ProducerRun {
  done: Promise<string>;
  pid: number;
}

/** Runs the producer as `npm run enqueue` does (same node flags); resolves with its stdout. */
export function runProducer(children: Children, args: string[], env: NodeJS.ProcessEnv): ProducerRun {
  const producer = startNodeProcess(SCRIPTS.enqueue, args, {
    env: { ...process.env, ...env },
    nodeFlags: PRODUCER_NODE_FLAGS,
  });
  children.track(producer.proc);
  const done = producer.done.then(({ code, stdout, stderr }) => {
    if (code !== 0) throw new Error(`enqueue exited ${code}: ${stderr.slice(-2000)}`);
    return stdout;
  });
  return { done, pid: producer.proc.pid! };
}
