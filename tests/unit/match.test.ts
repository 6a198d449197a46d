import { describe, expect, it } from 'vitest';
import { matchChoice } from '../../src/engine/match.js';
import { fold } from '../../src/messaging/normalize.js';
import type { Choice } from '../../src/messaging/types.js';

const choices: Choice[] = [
  { id: 'bank', label: { key: 'Tài khoản ngân hàng' } },
  { id: 'wallet', label: { key: 'Ví điện tử' }, aliases: ['momo', 'viettel money'] },
  { id: 'cash', label: { key: 'Nhận tiền mặt tại Bưu điện' } },
];
const labelOf = (c: Choice) => [c.label.key];

describe('fold', () => {
  it('removes diacritics, đ and case, and collapses punctuation', () => {
    expect(fold('  Đồng Ý!! ')).toBe('dong y');
    expect(fold('NGÂN   HÀNG')).toBe('ngan hang');
    expect(fold('Trợ giúp')).toBe('tro giup');
  });
  it('keeps digits and slash commands', () => {
    expect(fold('/start')).toBe('/start');
    expect(fold('05/03/1952')).toBe('05/03/1952');
  });
});

describe('matchChoice', () => {
  it('maps a typed option number to that option, like a tap', () => {
    expect(matchChoice('2', choices, labelOf)?.id).toBe('wallet');
    expect(matchChoice(' 3 ', choices, labelOf)?.id).toBe('cash');
  });
  it('rejects numbers outside the list', () => {
    expect(matchChoice('0', choices, labelOf)).toBeUndefined();
    expect(matchChoice('4', choices, labelOf)).toBeUndefined();
  });
  it('matches a label typed without diacritics or case', () => {
    expect(matchChoice('tai khoan ngan hang', choices, labelOf)?.id).toBe('bank');
    expect(matchChoice('VÍ ĐIỆN TỬ', choices, labelOf)?.id).toBe('wallet');
  });
  it('matches an alias', () => {
    expect(matchChoice('MoMo', choices, labelOf)?.id).toBe('wallet');
  });
  it('matches a word that is part of exactly one label', () => {
    expect(matchChoice('ngan hang', choices, labelOf)?.id).toBe('bank');
    expect(matchChoice('buu dien', choices, labelOf)?.id).toBe('cash');
  });
  it('matches a button label typed back with its number, as reply keyboards send it', () => {
    expect(matchChoice('2. Ví điện tử', choices, labelOf)?.id).toBe('wallet');
  });
  it('does not guess on short or ambiguous text', () => {
    expect(matchChoice('ti', choices, labelOf)).toBeUndefined();
    expect(matchChoice('tien', [...choices, { id: 'x', label: { key: 'Tiền gửi' } }], labelOf)).toBeUndefined();
    expect(matchChoice('', choices, labelOf)).toBeUndefined();
  });
});
