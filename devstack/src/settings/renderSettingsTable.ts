import type { Setting } from '@hcingest/shared';
import type { SettingsGroup } from './settingsGroup.js';

/** A table cell: pipes escaped, so a description cannot split its row, and angle brackets, which would read as HTML. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function defaultCell(setting: Setting): string {
  const value = String(setting.default);
  return value === '' ? 'empty' : `\`${cell(value)}\``;
}

/** The settings table of docs/deployment.md: variable, default, which processes use it, meaning. */
export function renderSettingsTable(groups: readonly SettingsGroup[]): string {
  const rows = groups.flatMap((group) =>
    Object.entries(group.schema).map(
      ([name, setting]) => `| \`${name}\` | ${defaultCell(setting)} | ${cell(group.usedBy)} | ${cell(setting.doc)} |`,
    ),
  );
  return ['| variable | default | used by | meaning |', '|---|---|---|---|', ...rows].join('\n') + '\n';
}
