import { expect } from 'chai';
import { cleanText, matchChoice, normalizeName } from '@hcingest/shared';

describe('rules/text', () => {
  describe('cleanText', () => {
    it('trims leading and trailing whitespace', () => {
      expect(cleanText('  Cancer  ')).to.equal('Cancer');
    });

    it('collapses inner runs of spaces, tabs and newlines to one space', () => {
      expect(cleanText('Blue \t Cross')).to.equal('Blue Cross');
      expect(cleanText('Matthew\nSmith')).to.equal('Matthew Smith');
      expect(cleanText('a\r\n\r\n  b\t\tc')).to.equal('a b c');
    });

    it('turns whitespace-only text into the empty string', () => {
      expect(cleanText(' \t\n ')).to.equal('');
      expect(cleanText('')).to.equal('');
    });

    it('leaves already clean text unchanged', () => {
      expect(cleanText('Sons and Miller')).to.equal('Sons and Miller');
    });
  });

  describe('normalizeName', () => {
    it('title-cases each part of hyphenated and apostrophe names', () => {
      expect(normalizeName("bobby o'BRIEN-smith")).to.equal("Bobby O'Brien-Smith");
    });

    it('treats a typographic apostrophe like a plain one', () => {
      expect(normalizeName('d’ANGELO')).to.equal('D’Angelo');
    });

    it('keeps suffixes such as MD in their usual form', () => {
      expect(normalizeName('desiree WILLIAMS md')).to.equal('Desiree Williams MD');
    });

    it('keeps titles such as Mrs. in their usual form', () => {
      expect(normalizeName('mrs. brandy FLOWERS')).to.equal('Mrs. Brandy Flowers');
    });

    it('trims, collapses whitespace and adds the period a suffix needs', () => {
      expect(normalizeName('  john   smith jr ')).to.equal('John Smith Jr.');
    });

    it('renders every known title and suffix in its canonical form whatever the case or period', () => {
      const forms = ['Mr.', 'Mrs.', 'Ms.', 'Dr.', 'MD', 'DDS', 'DVM', 'PhD', 'Jr.', 'Sr.', 'II', 'III', 'IV'];
      for (const form of forms) {
        const bare = form.replace(/\.$/, '');
        for (const written of [bare.toLowerCase(), bare.toUpperCase(), `${bare.toLowerCase()}.`]) {
          expect(normalizeName(`${written} x`).split(' ')[0], written).to.equal(form);
        }
      }
    });

    it('returns the empty string for blank input', () => {
      expect(normalizeName('   ')).to.equal('');
    });

    it('keeps names already written in a proper form as given', () => {
      for (const name of [
        'Mary McDonald',
        'DeShawn MacLeod',
        'Ana de la Cruz',
        'Ludwig van Beethoven',
        'Leonardo DiCaprio',
        'Zoë O’Neil',
        'Jean-Luc Picard',
        'Émile Zola',
        'Desiree Williams MD',
        'Mrs. Brandy Flowers',
      ]) {
        expect(normalizeName(name), name).to.equal(name);
      }
    });

    it('normalizes names in random, all-lower or all-upper casing as before', () => {
      expect(normalizeName('bObBy jAcKsOn')).to.equal('Bobby Jackson');
      expect(normalizeName('Bobby JacksOn')).to.equal('Bobby Jackson');
      expect(normalizeName('LesLie TErRy')).to.equal('Leslie Terry');
      expect(normalizeName('mary mcdonald')).to.equal('Mary Mcdonald');
      expect(normalizeName('MARY MCDONALD')).to.equal('Mary Mcdonald');
      expect(normalizeName('ana DE la cruz')).to.equal('Ana De La Cruz');
      // One word out of form is enough to normalize the whole name.
      expect(normalizeName('Mary McDonald jr')).to.equal('Mary Mcdonald Jr.');
      expect(normalizeName('de la')).to.equal('De La');
    });

    it('is idempotent', () => {
      for (const name of ["Bobby O'Brien-Smith", 'Desiree Williams MD', 'Mrs. Brandy Flowers', 'John Smith Jr.']) {
        expect(normalizeName(normalizeName(name))).to.equal(normalizeName(name));
        expect(normalizeName(name)).to.equal(name);
      }
    });
  });

  describe('matchChoice', () => {
    const choices = ['Elective', 'Emergency', 'Urgent'] as const;

    it('returns the canonical choice for a value in any case', () => {
      expect(matchChoice('elective', choices)).to.equal('Elective');
      expect(matchChoice('EMERGENCY', choices)).to.equal('Emergency');
      expect(matchChoice('uRgEnT', choices)).to.equal('Urgent');
    });

    it('returns undefined for a value that is not a choice', () => {
      expect(matchChoice('Routine', choices)).to.equal(undefined);
      expect(matchChoice('', choices)).to.equal(undefined);
      expect(matchChoice('Urgent ', choices)).to.equal(undefined);
    });

    it('matches symbols exactly apart from case', () => {
      const blood = ['A+', 'A-', 'AB+'] as const;
      expect(matchChoice('ab+', blood)).to.equal('AB+');
      expect(matchChoice('AB', blood)).to.equal(undefined);
    });
  });
});
