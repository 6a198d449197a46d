import { describe, expect, it } from 'vitest';
import { allBanks, bankByBin, findBanks, popularBanks } from '../../src/domain/banks/bank-directory.js';

const firstShortName = (typed: string) => findBanks(typed)[0]?.shortName;

describe('findBanks', () => {
  it.each([
    ['vietcom', 'Vietcombank'],
    ['Vietcombank', 'Vietcombank'],
    ['VCB', 'Vietcombank'],
    ['vietcom bank', 'Vietcombank'],
    ['ngoai thuong', 'Vietcombank'],
    ['Ngoại Thương', 'Vietcombank'],
    ['cong thuong', 'VietinBank'],
    ['agri', 'Agribank'],
    ['AGRIBANK', 'Agribank'],
    ['ngân hàng nông nghiệp', 'Agribank'],
    ['NH Agribank', 'Agribank'],
    ['bidv', 'BIDV'],
    ['lien viet', 'LPBank'],
    ['buu dien', 'LPBank'],
    ['sacom', 'Sacombank'],
    ['mb', 'MB'],
    ['quan doi', 'MB'],
    ['thinh vuong', 'VPBank'],
    ['ban viet', 'BVBank'],
    ['dong a', 'Vikki'],
    ['ocean', 'MBV'],
  ])('finds %s → %s first', (typed, shortName) => {
    expect(firstShortName(typed)).toBe(shortName);
  });

  it('finds a bank by its exact BIN', () => {
    expect(findBanks('970436').map((b) => b.shortName)).toEqual(['Vietcombank']);
    expect(findBanks(' 970 415 ').map((b) => b.shortName)).toEqual(['VietinBank']);
    expect(findBanks('999999')).toEqual([]);
  });

  it('ranks an exact name before a prefix before a word match', () => {
    // "Sài Gòn Công Thương" also holds the words, but only VietinBank has them as an alias.
    expect(findBanks('cong thuong').map((b) => b.shortName)).toEqual(['VietinBank', 'Saigonbank']);
    // "mb" is MB exactly and a prefix of MBV.
    expect(findBanks('mb').map((b) => b.shortName)).toEqual(['MB', 'MBV']);
  });

  it('falls back to a substring of a short name from three letters on', () => {
    expect(findBanks('combank').map((b) => b.shortName)).toEqual(
      expect.arrayContaining(['Vietcombank', 'Techcombank', 'Sacombank', 'PVcomBank']),
    );
    expect(findBanks('om')).toEqual([]);
  });

  it('respects the limit and returns nothing for nothing', () => {
    expect(findBanks('ngan hang tmcp', 3)).toHaveLength(3);
    expect(findBanks('viet', 2)).toHaveLength(2);
    expect(findBanks('viet', 0)).toEqual([]);
    expect(findBanks('')).toEqual([]);
    expect(findBanks('ngân hàng')).toEqual([]);
    expect(findBanks('xyz bank qwerty')).toEqual([]);
  });
});

describe('bankByBin', () => {
  it.each([
    ['970436', 'Vietcombank', 'Ngân hàng TMCP Ngoại thương Việt Nam'],
    ['970415', 'VietinBank', 'Ngân hàng TMCP Công Thương Việt Nam'],
    ['970418', 'BIDV', 'Ngân hàng TMCP Đầu tư và Phát triển Việt Nam'],
    ['970405', 'Agribank', 'Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam'],
    ['970449', 'LPBank', 'Ngân hàng TMCP Lộc Phát Việt Nam'],
    ['970403', 'Sacombank', 'Ngân hàng TMCP Sài Gòn Thương Tín'],
  ])('knows %s as %s', (bin, shortName, name) => {
    expect(bankByBin(bin)).toMatchObject({ bin, shortName, name });
  });

  it('returns undefined for an unknown BIN', () => {
    expect(bankByBin('970499')).toBeUndefined();
  });
});

describe('the pinned bank list', () => {
  it('holds every bank pensioners are paid through, with its BIN', () => {
    const expected: Record<string, string> = {
      Vietcombank: '970436', VietinBank: '970415', BIDV: '970418', Agribank: '970405', Techcombank: '970407',
      MB: '970422', ACB: '970416', VPBank: '970432', Sacombank: '970403', TPBank: '970423', HDBank: '970437',
      SHB: '970443', VIB: '970441', SeABank: '970440', OCB: '970448', MSB: '970426', Eximbank: '970431',
      LPBank: '970449', 'Nam A Bank': '970428', 'Bac A Bank': '970409', ABBANK: '970425',
      'BaoViet Bank': '970438', PVcomBank: '970412', KienlongBank: '970452', VietBank: '970433',
      Saigonbank: '970400', PGBank: '970430', NCB: '970419', GPBank: '970408', 'Viet A Bank': '970427',
      BVBank: '970454', VRB: '970421', 'Co-opBank': '970446', Shinhan: '970424', Woori: '970457', UOB: '970458',
      'Public Bank': '970439', Indovina: '970434', 'Standard Chartered': '970410', 'Hong Leong': '970442',
      CIMB: '422589', KBank: '668888', Cake: '546034', Ubank: '546035', Timo: '963388',
    };
    for (const [shortName, bin] of Object.entries(expected)) {
      expect(bankByBin(bin)?.shortName, shortName).toBe(shortName);
    }
  });

  it('has unique six-digit BINs and Vietnamese full names', () => {
    const banks = allBanks();
    expect(new Set(banks.map((b) => b.bin)).size).toBe(banks.length);
    for (const bank of banks) {
      expect(bank.bin).toMatch(/^\d{6}$/);
      expect(bank.name).toMatch(/^Ngân hàng /);
    }
  });

  it('cannot be changed by a caller', () => {
    const bank = bankByBin('970436');
    expect(Object.isFrozen(bank)).toBe(true);
    expect(Object.isFrozen(allBanks())).toBe(true);
  });
});

describe('popularBanks', () => {
  it('lists the six banks most pensioners use, in order', () => {
    expect(popularBanks().map((b) => b.shortName)).toEqual([
      'Agribank',
      'Vietcombank',
      'VietinBank',
      'BIDV',
      'LPBank',
      'Sacombank',
    ]);
  });
});
