import { PASSWORD_PLACEHOLDER, type Setting } from '@hcingest/shared';
import type { SettingsGroup } from './settingsGroup.js';

const WIDTH = 95;

const HEADER =
  'Copy to .env and fill in: every command reads .env in its working directory (a variable set in the ' +
  'environment wins over the file). Every setting is validated at start-up; an invalid value stops the command ' +
  'with a message naming the variable. Values shown are the defaults. Generated from the settings schemas ' +
  'by npm run settings: edit the schemas, not this file.';

/** A word that, at the start of a comment line, would read as a commented-out setting (`# NAME=value`). */
const ASSIGNMENT = /^[A-Z][A-Z0-9_]*=/;

/**
 * `text` as `# ` comment lines of at most WIDTH characters. No line starts with `NAME=`: that is
 * how the template shows a setting best left unset, and what tools that fill it in look for.
 */
export function commentLines(text: string): string[] {
  const lines: string[] = [];
  let line = '#';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.length + 1 + word.length > WIDTH && line !== '#') {
      const cut = ASSIGNMENT.test(word) ? line.lastIndexOf(' ') : -1;
      lines.push(cut > 1 ? line.slice(0, cut) : line);
      line = cut > 1 ? `# ${line.slice(cut + 1)}` : '#';
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines;
}

/** The assignment `.env.template` shows: commented out when best left unset, a placeholder for a password. */
export function templateAssignment(name: string, setting: Setting): string {
  if (setting.unset) return `# ${name}=${setting.example ?? String(setting.default)}`;
  if (setting.sensitive && setting.default === '') return `${name}=${PASSWORD_PLACEHOLDER}`;
  return `${name}=${setting.example ?? String(setting.default)}`;
}

function sectionTitle(title: string): string {
  const head = `# --- ${title} `;
  return head.padEnd(WIDTH, '-');
}

/** `.env.template`: a section per group, each setting with its description above it. */
export function renderEnvTemplate(groups: readonly SettingsGroup[]): string {
  const out = [...commentLines(HEADER)];
  for (const group of groups) {
    out.push('', sectionTitle(group.title));
    if (group.intro) out.push(...commentLines(group.intro));
    for (const [name, setting] of Object.entries(group.schema))
      out.push(...commentLines(setting.doc), templateAssignment(name, setting));
  }
  return `${out.join('\n')}\n`;
}
