import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The README is the way in: short, and linking every page of docs/. Every relative link of the
 * README and of the pages points at a file that exists and, with an #anchor, at a heading of it.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const README_MAX_BYTES = 12_000;

const pages = readdirSync(join(ROOT, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => join(ROOT, 'docs', name));
const documents = [join(ROOT, 'README.md'), ...pages];

/** The text outside fenced code blocks. */
function prose(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a Markdown file's headings (a repeated heading gets -1, -2, … as on GitHub). */
function anchors(file: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const [, text] of prose(readFileSync(file, 'utf8')).matchAll(/^#{1,6} (.+)$/gm)) {
    const base = slug(text!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** The relative link targets of a Markdown file (web addresses left out). */
function links(file: string): string[] {
  return [...prose(readFileSync(file, 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/**
 * Folders the images' build context leaves out (.dockerignore), so absent where the compose test
 * service runs these checks inside the test image: a link into one is checked where it exists.
 */
const LEFT_OUT_OF_IMAGES = ['bench/results'];

function leftOutHere(to: string): boolean {
  return LEFT_OUT_OF_IMAGES.some((dir) => to.startsWith(join(ROOT, dir, '/')) && !existsSync(join(ROOT, dir)));
}

describe('docs: the README and the docs/ pages', () => {
  it(`keeps the README within ${README_MAX_BYTES} bytes`, () => {
    expect(statSync(join(ROOT, 'README.md')).size).to.be.at.most(README_MAX_BYTES);
  });

  it('links every docs/ page from the README', () => {
    expect(pages.length).to.be.greaterThan(0);
    const linked = new Set(links(join(ROOT, 'README.md')).map((target) => target.split('#')[0]));
    for (const page of pages) expect(linked.has(relative(ROOT, page)), relative(ROOT, page)).to.equal(true);
  });

  it('has every relative link point at a file that exists, and every #anchor at a heading of it', () => {
    for (const file of documents) {
      for (const target of links(file)) {
        const [path, anchor] = target.split('#') as [string, string | undefined];
        const to = path === '' ? file : join(dirname(file), decodeURI(path));
        const where = `${relative(ROOT, file)}: ${target}`;
        if (leftOutHere(to)) continue;
        expect(existsSync(to), where).to.equal(true);
        if (anchor !== undefined) {
          expect(to.endsWith('.md'), where).to.equal(true);
          expect(anchors(to).has(anchor), where).to.equal(true);
        }
      }
    }
  });

  it('finds the links and anchors it checks', () => {
    expect(anchors(join(ROOT, 'docs', 'deployment.md')).has('the-stack-run-for-real-npm-run-testcompose')).to.equal(
      true,
    );
    expect(links(join(ROOT, 'README.md'))).to.include('docs/commands.md#npm-start');
  });
});
