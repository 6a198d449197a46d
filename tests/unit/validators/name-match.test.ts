import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldName, namesMatch } from '../../../src/domain/validators/name-match.js';

describe('foldName', () => {
  it('removes diacritics, upper-cases and collapses spaces', () => {
    expect(foldName('Nguyễn Văn An')).toBe('NGUYEN VAN AN');
    expect(foldName('  trần   thị   bích  ')).toBe('TRAN THI BICH');
  });

  it('folds đ and Đ to D, which Unicode decomposition does not', () => {
    expect(foldName('Đặng Thị Đào')).toBe('DANG THI DAO');
    expect(foldName('Ðặng')).toBe('DANG');
  });

  it('strips punctuation, and joins across apostrophes', () => {
    expect(foldName('Lê Văn Tám.')).toBe('LE VAN TAM');
    expect(foldName('Nguyễn-Thị, Hoa')).toBe('NGUYEN THI HOA');
    expect(foldName("H'Hen Niê")).toBe('HHEN NIE');
  });

  it('gives the same result for precomposed and decomposed input', () => {
    const precomposed = 'Phạm Thị Hường';
    expect(foldName(precomposed.normalize('NFD'))).toBe(foldName(precomposed));
    expect(foldName(precomposed)).toBe('PHAM THI HUONG');
  });

  it('is idempotent', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (name) => foldName(foldName(name)) === foldName(name)));
  });
});

describe('namesMatch', () => {
  it('matches a bank holder name in capitals without diacritics', () => {
    expect(namesMatch('NGUYEN VAN AN', 'Nguyễn Văn An')).toBe(true);
    expect(namesMatch('DANG THI DAO', 'Đặng Thị Đào')).toBe(true);
    expect(namesMatch('nguyen van an', 'NGUYỄN VĂN AN')).toBe(true);
  });

  it('ignores how syllables are spaced', () => {
    expect(namesMatch('H HEN NIE', "H'Hen Niê")).toBe(true);
    expect(namesMatch('NGUYEN  VAN AN ', 'Nguyễn Văn An')).toBe(true);
  });

  it('does not match a different name', () => {
    expect(namesMatch('NGUYEN VAN ANH', 'Nguyễn Văn An')).toBe(false);
    expect(namesMatch('NGUYEN VAN AN', 'Nguyễn Văn Ân Tín')).toBe(false);
    expect(namesMatch('TRAN VAN AN', 'Nguyễn Văn An')).toBe(false);
  });

  it('never matches empty names', () => {
    expect(namesMatch('', '')).toBe(false);
    expect(namesMatch(' . ', '-')).toBe(false);
  });
});
