import { spawn, type ChildProcess } from 'node:child_process';

/** How a node process ended: its exit code and all it printed. */
export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A node process running in the background, its output captured. */
export interface NodeProcess {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** resolves when the process has exited and its output is closed */
  done: Promise<ProcessResult>;
}

export interface NodeProcessOptions {
  /** the whole environment of the process */
  env: NodeJS.ProcessEnv;
  /** node's own flags, before the script */
  nodeFlags?: readonly string[];
  cwd?: string;
  /** keep at most this many characters of each output (the first ones) */
  keepChars?: number;
}

/** Starts `node [flags] script args` with its stdout and stderr captured. */
export function startNodeProcess(script: string, args: readonly string[], o: NodeProcessOptions): NodeProcess {
  const proc = spawn(process.execPath, [...(o.nodeFlags ?? []), script, ...args], {
    env: o.env,
    cwd: o.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = o.keepChars ?? Infinity;
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (d: Buffer) => {
    if (stdout.length < keep) stdout += d.toString();
  });
  proc.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < keep) stderr += d.toString();
  });
  const done = new Promise<ProcessResult>((resolve) => proc.on('close', (code) => resolve({ code, stdout, stderr })));
  return { proc, stdout: () => stdout, stderr: () => stderr, done };
}

/** Resolves once the process has written `text` to stderr; rejects when it exits before. */
export function untilPrinted(p: NodeProcess, text: string, what: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const check = () => {
      if (p.stderr().includes(text)) resolve();
    };
    p.proc.stderr!.on('data', check);
    check();
    p.proc.once('exit', (code) => reject(new Error(`${what} exited with ${code} before ready:\n${p.stderr()}`)));
  });
}

/** The lines a process writes to stderr, one by one, as they come. */
export function onStderrLine(proc: ChildProcess, each: (line: string) => void): void {
  let partial = '';
  proc.stderr!.on('data', (d: Buffer) => {
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines) each(line);
  });
}
