import { describe, expect, it } from 'vitest';
import { parseIdentifier } from '../../flows/link-self.js';

const NOW = new Date('2026-11-23T03:00:00Z');

describe('parseIdentifier (BHXH code or CCCD, told apart by length)', () => {
  it('reads a BHXH code with spaces or off an old health card', () => {
    expect(parseIdentifier('0101 234 567', NOW)).toEqual({ ok: true, kind: 'bhxh', value: '0101234567' });
    expect(parseIdentifier('HT 3 01 0101234567', NOW)).toEqual({ ok: true, kind: 'bhxh', value: '0101234567' });
  });

  it('reads a CCCD and keeps its birth year', () => {
    expect(parseIdentifier('001.155.054321', NOW)).toEqual({ ok: true, kind: 'cccd', value: '001155054321', cccdYear: 1955 });
  });

  it.each([
    ['01012345ab', 'linkSelf.idError.letters'],
    ['123456789', 'linkSelf.idError.oldId'],
    ['12345', 'linkSelf.idError.length'],
    ['999052012345', 'linkSelf.idError.cccdProvince'],
    ['001952012345', 'linkSelf.idError.cccdYear'],
  ])('refuses %s with %s', (typed, key) => {
    expect(parseIdentifier(typed, NOW)).toEqual({ ok: false, error: { key } });
  });
});
