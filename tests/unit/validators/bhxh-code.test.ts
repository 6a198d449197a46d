import { describe, expect, it } from 'vitest';
import { parseBhxhCode } from '../../../src/domain/validators/bhxh-code.js';

describe('parseBhxhCode', () => {
  it('accepts exactly 10 digits', () => {
    expect(parseBhxhCode('7912345678')).toEqual({ ok: true, value: '7912345678' });
    expect(parseBhxhCode('0100123456')).toEqual({ ok: true, value: '0100123456' });
  });

  it('accepts spaces typed between digits', () => {
    expect(parseBhxhCode(' 79 1234 5678 ')).toEqual({ ok: true, value: '7912345678' });
  });

  it('refuses 9 or 11 digits', () => {
    expect(parseBhxhCode('791234567')).toEqual({ ok: false, reason: 'length' });
    expect(parseBhxhCode('79123456789')).toEqual({ ok: false, reason: 'length' });
  });

  it('takes the last 10 digits of an old 15-character health-insurance card code', () => {
    expect(parseBhxhCode('HT3797912345678')).toEqual({ ok: true, value: '7912345678' });
    expect(parseBhxhCode('ht 3 79 79 1234 5678')).toEqual({ ok: true, value: '7912345678' });
  });

  it('refuses other input with letters, symbols, or nothing', () => {
    expect(parseBhxhCode('79123A5678')).toEqual({ ok: false, reason: 'letters' });
    expect(parseBhxhCode('HT379791234567')).toEqual({ ok: false, reason: 'letters' });
    expect(parseBhxhCode('79123/5678')).toEqual({ ok: false, reason: 'format' });
    expect(parseBhxhCode('')).toEqual({ ok: false, reason: 'empty' });
  });
});
