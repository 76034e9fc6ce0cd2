import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { killAndWait } from '../services.js';

const SCRIPT = fileURLToPath(new URL('./dockerApiProxy.js', import.meta.url));

/**
 * The Docker API proxy (dockerApiProxy.ts) as a process of its own, so that a busy test process
 * never holds compose's requests up: listens on `socket`, forwards to podman's `upstream`.
 */
export class ApiProxy {
  private proc?: ChildProcess;

  constructor(
    readonly socket: string,
    readonly upstream: string,
  ) {}

  async start(): Promise<void> {
    const proc = spawn(process.execPath, [SCRIPT, this.socket, this.upstream], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.proc = proc;
    process.once('exit', () => proc.exitCode === null && proc.kill('SIGTERM'));
    const listening = new Promise<void>((resolve, reject) => {
      proc.stdout!.once('data', () => resolve());
      proc.once('exit', (code) => reject(new Error(`the Docker API proxy exited (${code}) before listening`)));
    });
    await listening;
    proc.stdout!.resume();
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  async stop(): Promise<void> {
    await killAndWait(this.proc, 'SIGTERM');
    this.proc = undefined;
  }
}
