import type { Setting } from '@hcingest/shared';
import type { SettingsGroup } from './settingsGroup.js';

/** A table cell: pipes escaped, so a description cannot split its row, and angle brackets, which would read as HTML. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A description's references to a page of the docs (docs/scaling.md#a-section) as links from docs/. */
function linked(text: string): string {
  return text.replace(/\bdocs\/([a-z-]+\.md(?:#[a-z0-9-]+)?)/g, '[docs/$1]($1)');
}

function defaultCell(setting: Setting): string {
  const value = String(setting.default);
  return value === '' ? 'empty' : `\`${cell(value)}\``;
}

/** The settings table of docs/deployment.md: variable, default, which processes use it, meaning. */
export function renderSettingsTable(groups: readonly SettingsGroup[]): string {
  const rows = groups.flatMap((group) =>
    Object.entries(group.schema).map(
      ([name, setting]) =>
        `| \`${name}\` | ${defaultCell(setting)} | ${cell(group.usedBy)} | ${linked(cell(setting.doc))} |`,
    ),
  );
  return ['| variable | default | used by | meaning |', '|---|---|---|---|', ...rows].join('\n') + '\n';
}
