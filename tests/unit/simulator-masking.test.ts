import { describe, expect, it } from 'vitest';
import { maskNumbers } from '../../src/channels/simulator/simulator-channel.js';

describe('simulator history masking', () => {
  it('masks identifiers typed into the simulator before they are stored', () => {
    expect(maskNumbers('001052012345')).toBe('********2345');
    expect(maskNumbers('SĐT của tôi là 0912 345 678')).toBe('SĐT của tôi là ******5678');
    expect(maskNumbers('+84912345678')).toBe('*******5678');
  });
  it('leaves short numbers (menu choices, dates) alone', () => {
    expect(maskNumbers('2')).toBe('2');
    expect(maskNumbers('05/03/1952')).toBe('05/03/1952');
  });
});
