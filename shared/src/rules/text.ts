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

/** Particles written in lower case inside a name ("Ana de la Cruz", "Ludwig van Beethoven"). */
const PARTICLES = new Set([
  'de',
  'la',
  'le',
  'van',
  'von',
  'der',
  'den',
  'da',
  'di',
  'du',
  'del',
  'della',
  'dos',
  'das',
  'do',
  'y',
]);

/** Prefixes after which a name part carries a second capital ("McDonald", "MacLeod", "DeShawn"). */
const INNER_CAPITAL = /^(?:Mc|Mac|Fitz|De|Di|Da|Du|Del|La|Le|Van|Von)\p{Lu}\p{Ll}+$/u;

/**
 * Whether one part of a word (between hyphens and apostrophes) is written in a proper form:
 * a capital then lower case, or a known prefix with an inner capital, or a single capital
 * (the O of O'Neil).
 */
function isProperPart(part: string): boolean {
  return /^\p{Lu}\p{Ll}*$/u.test(part) || INNER_CAPITAL.test(part);
}

function isProperWord(word: string): boolean {
  if (PARTICLES.has(word)) return true;
  const affix = NAME_AFFIXES.get(word.replace(/\.$/, '').toLowerCase());
  if (affix) return word === affix;
  return word.split(/[-'’]/).every(isProperPart);
}

/**
 * Cleans a name's whitespace, and its casing only when it is not already written in a proper
 * form. A name whose every word is proper ("Mary McDonald", "DeShawn MacLeod", "Ana de la Cruz",
 * "Desiree Williams MD") is kept as given; one in random, all-lower or all-upper casing
 * ("bObBy jAcKsOn", "MARY MCDONALD") is title-cased per word and per hyphen/apostrophe part,
 * titles and suffixes taking their usual form ("bobby o'BRIEN-smith" -> "Bobby O'Brien-Smith").
 * Casing never changes an admission's identity, which compares names case-insensitively.
 */
export function normalizeName(value: string): string {
  const text = cleanText(value);
  if (text === '') return '';
  const words = text.split(' ');
  // A name of lower-case particles only ("de la") is not a proper form: it is all lower case.
  if (words.every(isProperWord) && !words.every((w) => PARTICLES.has(w))) return text;
  return words.map(titleCaseWord).join(' ');
}

/** Returns the allowed value that matches `value` case-insensitively, or undefined. */
export function matchChoice<T extends string>(value: string, choices: readonly T[]): T | undefined {
  const key = value.toLowerCase();
  return choices.find((c) => c.toLowerCase() === key);
}
