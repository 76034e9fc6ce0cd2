/** Trims and collapses inner whitespace (newlines included) to one space. */
export function cleanText(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** Titles and suffixes that keep their usual form instead of being title-cased. */
const NAME_AFFIXES = new Map(
  ['Mr.', 'Mrs.', 'Ms.', 'Dr.', 'MD', 'DDS', 'DVM', 'PhD', 'Jr.', 'Sr.', 'II', 'III', 'IV'].map((form) => [
    form.replace(/\.$/, '').toLowerCase(),
    form,
  ]),
);

function titleCasePart(part: string): string {
  return part.charAt(0).toUpperCase() + part.slice(1).toLowerCase();
}

function titleCaseWord(word: string): string {
  const affix = NAME_AFFIXES.get(word.replace(/\.$/, '').toLowerCase());
  if (affix) return affix;
  // Title-case each part between hyphens and apostrophes, keeping the separators.
  return word
    .split(/([-'’])/)
    .map((part, i) => (i % 2 === 1 ? part : titleCasePart(part)))
    .join('');
}

/** "bobby o'BRIEN-smith" -> "Bobby O'Brien-Smith"; "desiree WILLIAMS md" -> "Desiree Williams MD". */
export function normalizeName(value: string): string {
  const text = cleanText(value);
  return text === '' ? '' : text.split(' ').map(titleCaseWord).join(' ');
}

/** Returns the allowed value that matches `value` case-insensitively, or undefined. */
export function matchChoice<T extends string>(value: string, choices: readonly T[]): T | undefined {
  const key = value.toLowerCase();
  return choices.find((c) => c.toLowerCase() === key);
}
