import { describe, expect, it } from 'vitest';
import { globalCommandOf } from '../../src/engine/commands.js';
import type { Inbound } from '../../src/messaging/types.js';

const base = { id: '1', channel: 'telegram', chatId: '1', userId: '1' } as const;
const text = (t: string): Inbound => ({ ...base, kind: 'text', text: t });

describe('global commands', () => {
  it('recognises Vietnamese words with or without diacritics', () => {
    expect(globalCommandOf(text('Hủy'))?.name).toBe('cancel');
    expect(globalCommandOf(text('huy'))?.name).toBe('cancel');
    expect(globalCommandOf(text('TRỢ GIÚP'))?.name).toBe('help');
    expect(globalCommandOf(text('menu'))?.name).toBe('menu');
    expect(globalCommandOf(text('Về menu chính'))?.name).toBe('menu');
  });
  it('recognises English words and slash commands', () => {
    expect(globalCommandOf(text('cancel'))?.name).toBe('cancel');
    expect(globalCommandOf({ ...base, kind: 'command', command: 'start', args: '' })?.name).toBe('start');
    expect(globalCommandOf({ ...base, kind: 'command', command: 'HELP', args: '' })?.name).toBe('help');
  });
  it('switches language directly when the language is named', () => {
    expect(globalCommandOf(text('English'))).toEqual({ name: 'language', locale: 'en' });
    expect(globalCommandOf(text('tiếng việt'))).toEqual({ name: 'language', locale: 'vi' });
  });
  it('recognises "Dừng nhận tin" and /stop', () => {
    expect(globalCommandOf(text('Dừng nhận tin'))?.name).toBe('stop');
    expect(globalCommandOf({ ...base, kind: 'command', command: 'stop', args: '' })?.name).toBe('stop');
  });
  it('maps the engine menu button payload', () => {
    expect(globalCommandOf({ ...base, kind: 'button', payload: 'g:menu' })?.name).toBe('menu');
    expect(globalCommandOf({ ...base, kind: 'button', payload: 'c:menu' })).toBeUndefined();
  });
  it('leaves ordinary answers alone', () => {
    expect(globalCommandOf(text('Nguyễn Văn Huy'))).toBeUndefined();
    expect(globalCommandOf(text('05/03/1952'))).toBeUndefined();
  });
});
