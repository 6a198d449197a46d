import { describe, expect, it } from 'vitest';
import type { Update } from 'telegraf/types';
import { toInbound } from '../../src/channels/telegram/to-inbound.js';
import { toApiCalls } from '../../src/channels/telegram/to-api-calls.js';
import { splitText } from '../../src/messaging/split-text.js';

const from = { id: 42, is_bot: false, first_name: 'An', language_code: 'vi' };
const chat = { id: 42, type: 'private' as const, first_name: 'An' };

describe('toInbound', () => {
  it('reads a /start command with its bot_command entity', () => {
    const update = { update_id: 7, message: { message_id: 1, date: 0, chat, from, text: '/start abc', entities: [{ type: 'bot_command', offset: 0, length: 6 }] } } as Update;
    expect(toInbound(update)).toMatchObject({ id: '7', channel: 'telegram', chatId: '42', kind: 'command', command: 'start', args: 'abc' });
  });
  it('reads plain text, a tap, a shared contact and a photo', () => {
    expect(toInbound({ update_id: 1, message: { message_id: 1, date: 0, chat, from, text: 'xin chào' } } as Update)).toMatchObject({ kind: 'text', text: 'xin chào' });
    expect(
      toInbound({ update_id: 2, callback_query: { id: 'q', from, chat_instance: 'x', data: 'c:bank', message: { message_id: 3, date: 0, chat } } } as Update),
    ).toMatchObject({ kind: 'button', payload: 'c:bank', chatId: '42' });
    expect(
      toInbound({ update_id: 3, message: { message_id: 1, date: 0, chat, from, contact: { phone_number: '+84912345678', first_name: 'An', user_id: 42 } } } as Update),
    ).toMatchObject({ kind: 'contact', phone: '+84912345678', ownContact: true });
    expect(
      toInbound({ update_id: 4, message: { message_id: 1, date: 0, chat, from, contact: { phone_number: '0900000000', first_name: 'B', user_id: 7 } } } as Update),
    ).toMatchObject({ kind: 'contact', ownContact: false });
    expect(
      toInbound({ update_id: 5, message: { message_id: 1, date: 0, chat, from, photo: [{ file_id: 'small', file_unique_id: 's', width: 1, height: 1 }, { file_id: 'big', file_unique_id: 'b', width: 9, height: 9 }] } } as Update),
    ).toMatchObject({ kind: 'photo', fileRef: 'big' });
  });
  it('marks voice notes and stickers unsupported rather than ignoring them', () => {
    expect(toInbound({ update_id: 6, message: { message_id: 1, date: 0, chat, from, voice: { file_id: 'v', file_unique_id: 'v', duration: 3 } } } as Update)).toMatchObject({ kind: 'unsupported' });
  });
  it('ignores group chats and edits', () => {
    expect(toInbound({ update_id: 8, message: { message_id: 1, date: 0, chat: { id: -5, type: 'group', title: 'g' }, from, text: 'hi' } } as Update)).toBeUndefined();
    expect(toInbound({ update_id: 9, edited_message: { message_id: 1, date: 0, edit_date: 1, chat, from, text: 'x' } } as Update)).toBeUndefined();
  });
});

describe('toApiCalls', () => {
  it('puts each option on its own inline row', () => {
    const [call] = toApiCalls('42', { text: 'Chọn', buttons: [{ label: '1. A', payload: 'c:a' }, { label: '2. B', payload: 'c:b' }] });
    expect(call).toMatchObject({ method: 'sendMessage', params: { chat_id: '42', text: 'Chọn' } });
    expect((call!.params as { reply_markup: unknown }).reply_markup).toEqual({
      inline_keyboard: [[{ text: '1. A', callback_data: 'c:a' }], [{ text: '2. B', callback_data: 'c:b' }]],
    });
  });
  it('uses a one-time reply keyboard with request_contact for the phone step', () => {
    const [call] = toApiCalls('42', { text: 'SĐT?', requestContact: { label: 'Gửi số' }, buttons: [{ label: 'Menu', payload: 'g:menu' }] });
    const markup = (call!.params as { reply_markup: { keyboard: unknown[][]; one_time_keyboard: boolean } }).reply_markup;
    expect(markup.keyboard[0]).toEqual([{ text: 'Gửi số', request_contact: true }]);
    expect(markup.keyboard[1]).toEqual([{ text: 'Menu' }]);
    expect(markup.one_time_keyboard).toBe(true);
  });
  it('splits text longer than 4096 characters at line breaks', () => {
    const long = `${'a'.repeat(3000)}\n${'b'.repeat(3000)}`;
    expect(splitText(long, 4096)).toEqual(['a'.repeat(3000), 'b'.repeat(3000)]);
    const calls = toApiCalls('1', { text: long, buttons: [{ label: 'x', payload: 'c:x' }] });
    expect(calls).toHaveLength(2);
    expect((calls[1]!.params as { reply_markup: { inline_keyboard?: unknown } }).reply_markup.inline_keyboard).toBeDefined();
  });
});
