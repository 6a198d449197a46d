import { describe, expect, it } from 'vitest';
import { maskDigits, maskPhone } from '../../src/security/mask.js';

describe('maskDigits', () => {
  it('shows only the last 4 of a long number, keeping its length', () => {
    expect(maskDigits('012345678901')).toBe('********8901');
    expect(maskDigits('1234567')).toBe('***4567');
    expect(maskDigits('1234567890123456789')).toBe('***************6789');
  });

  it('shows only the last 2 of 6 characters or fewer', () => {
    expect(maskDigits('123456')).toBe('****56');
    expect(maskDigits('123')).toBe('*23');
  });

  it('masks very short values entirely', () => {
    expect(maskDigits('12')).toBe('**');
    expect(maskDigits('')).toBe('');
  });
});

describe('maskPhone', () => {
  it('keeps the first 2 and last 2 digits', () => {
    expect(maskPhone('0912345678')).toBe('09******78');
    expect(maskPhone('0389123456')).toBe('03******56');
  });

  it('masks very short values entirely', () => {
    expect(maskPhone('09123')).toBe('*****');
  });
});
