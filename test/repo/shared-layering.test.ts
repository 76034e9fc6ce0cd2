import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * shared/ reads one way: its folders import each other without a loop, and the contract (the
 * record, the file reader, the queue job, the store's documents, the load and its report) never
 * imports the command-line support in cli/. Only the package surface, index.ts, sees everything.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SRC = join(ROOT, 'shared', 'src');

const CONTRACT = ['schema', 'rules', 'csv', 'errors', 'file', 'queue', 'store', 'load'];
const COMMAND_LINE = 'cli';
/** The processes' health probes: like cli/, they use the contract and the contract never uses them. */
const HEALTH = 'health';
/** Settings, logging and timing: under everything, they import none of the rest. */
const BASE = ['config', 'log', 'util'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The folder of shared/src a file lives in. */
function folderOf(file: string): string {
  return relative(SRC, file).split('/')[0]!;
}

/** folder -> the other folders its files import (relative imports only; index.ts left out). */
function folderImports(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sources(SRC)) {
    if (relative(SRC, file) === 'index.ts') continue;
    const from = folderOf(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.\.?\/[^']+)'/g)) {
      const to = folderOf(normalize(join(dirname(file), m[1]!)));
      if (to !== from) graph.set(from, (graph.get(from) ?? new Set()).add(to));
    }
  }
  return graph;
}

/** A loop of folders importing each other, or undefined. */
function findLoop(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string, path: string[]): string[] | undefined => {
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    if (state.get(node) === 'done') return undefined;
    state.set(node, 'open');
    for (const next of graph.get(node) ?? []) {
      const loop = visit(next, [...path, node]);
      if (loop) return loop;
    }
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const loop = visit(node, []);
    if (loop) return loop;
  }
  return undefined;
}

describe('shared/ layering', () => {
  const graph = folderImports();

  it('has every file in a folder of a known layer (nothing loose beside index.ts)', () => {
    const known = new Set([...CONTRACT, COMMAND_LINE, HEALTH, ...BASE]);
    const unknown = sources(SRC)
      .map((f) => relative(SRC, f))
      .filter((f) => f !== 'index.ts' && !known.has(f.split('/')[0]!));
    expect(unknown).to.deep.equal([]);
  });

  it('has no two folders importing each other, directly or through others', () => {
    expect(findLoop(graph)).to.equal(undefined);
  });

  it('never imports the command-line support or the health probes from the contract', () => {
    const offenders = [...graph].filter(
      ([from, to]) => (CONTRACT.includes(from) || BASE.includes(from)) && (to.has(COMMAND_LINE) || to.has(HEALTH)),
    );
    expect(offenders.map(([from]) => from)).to.deep.equal([]);
  });

  it('keeps settings, logging and timing under everything else', () => {
    const upward = [...graph].filter(([from, to]) => BASE.includes(from) && [...to].some((t) => !BASE.includes(t)));
    expect(upward.map(([from, to]) => `${from} -> ${[...to].join(',')}`)).to.deep.equal([]);
  });

  it('finds a loop when there is one (the check itself works)', () => {
    const looped = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
    ]);
    expect(findLoop(looped)).to.deep.equal(['a', 'b', 'c', 'a']);
  });
});
