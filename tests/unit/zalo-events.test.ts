import { describe, expect, it } from 'vitest';
import { oaEventKey, parseOaEvent, toOaAction } from '../../src/channels/zalo/oa-events.js';
import { botToInbound, botUpdateKey, parseBotUpdate } from '../../src/channels/zalo/bot-events.js';
import { botUpdate, oaEvent } from '../support/fake-zalo.js';

const appId = '42';
const actionOf = (body: Record<string, unknown>) => {
  const raw = JSON.stringify(body);
  const event = parseOaEvent(JSON.parse(raw))!;
  return toOaAction(event, oaEventKey(event, raw));
};

describe('Zalo OA events → Inbound', () => {
  it('turns user_send_text into text, keyed by msg_id', () => {
    const action = actionOf(oaEvent(appId, { kind: 'text', userId: '2468', text: 'Xin chào', msgId: 'abc' }));
    expect(action).toEqual({ type: 'inbound', inbound: { id: 'zalo:abc', channel: 'zalo', chatId: '2468', userId: '2468', kind: 'text', text: 'Xin chào' } });
  });

  it('turns a tapped button (its payload as text) into a button Inbound', () => {
    for (const payload of ['c:fraud-tips', 'g:menu', 'a:notme:66f0a1b2c3']) {
      const action = actionOf(oaEvent(appId, { kind: 'text', userId: '1', text: payload }));
      expect(action.type === 'inbound' && action.inbound).toMatchObject({ kind: 'button', payload });
    }
    const typed = actionOf(oaEvent(appId, { kind: 'text', userId: '1', text: 'c: hello there' }));
    expect(typed.type === 'inbound' && typed.inbound.kind).toBe('text');
  });

  it('maps /start to a command, images to photos, shared info to an own contact', () => {
    expect(actionOf(oaEvent(appId, { kind: 'text', userId: '1', text: '/start' }))).toMatchObject({ inbound: { kind: 'command', command: 'start' } });
    expect(actionOf(oaEvent(appId, { kind: 'image', userId: '1', url: 'https://x/y.jpg' }))).toMatchObject({ inbound: { kind: 'photo', fileRef: 'https://x/y.jpg' } });
    expect(actionOf(oaEvent(appId, { kind: 'submit_info', userId: '1', phone: '84912345678' }))).toMatchObject({
      inbound: { kind: 'contact', phone: '84912345678', ownContact: true, chatId: '1' },
    });
  });

  it('starts on follow, unsubscribes on unfollow, ignores the OA echo', () => {
    expect(actionOf(oaEvent(appId, { kind: 'follow', userId: '7' }))).toMatchObject({ inbound: { kind: 'command', command: 'start', chatId: '7' } });
    expect(actionOf(oaEvent(appId, { kind: 'unfollow', userId: '7' }))).toEqual({ type: 'unfollow', chatId: '7' });
    expect(actionOf(oaEvent(appId, { kind: 'oa_echo', userId: '7', text: 'hi' }))).toEqual({ type: 'ignore', reason: 'echo' });
  });

  it('keys events without msg_id by a hash of the raw body', () => {
    const raw = JSON.stringify(oaEvent(appId, { kind: 'follow', userId: '7' }, 1000));
    const event = parseOaEvent(JSON.parse(raw))!;
    expect(oaEventKey(event, raw)).toMatch(/^zalo:h:[0-9a-f]{40}$/);
    expect(oaEventKey(event, raw)).toBe(oaEventKey(event, raw));
    expect(oaEventKey(event, `${raw} `)).not.toBe(oaEventKey(event, raw));
  });

  it('rejects bodies that are not events', () => {
    expect(parseOaEvent({ hello: 1 })).toBeUndefined();
    expect(parseOaEvent(null)).toBeUndefined();
    expect(parseOaEvent({ event_name: 'x' })).toBeUndefined();
  });
});

describe('Zalo Bot Platform updates → Inbound', () => {
  it('parses wrapped and unwrapped text updates', () => {
    const wrapped = botUpdate({ chatId: 'c1', text: 'Xin chào', messageId: 'm1' });
    const update = parseBotUpdate(wrapped)!;
    expect(botUpdateKey(update)).toBe('zalo-bot:m1');
    expect(botToInbound(update)).toEqual({ id: 'zalo-bot:m1', channel: 'zalo-bot', chatId: 'c1', userId: 'c1', kind: 'text', text: 'Xin chào' });
    expect(botToInbound(parseBotUpdate((wrapped as { result: unknown }).result)!)).toMatchObject({ kind: 'text' });
  });

  it('maps commands, photos, stickers; ignores groups', () => {
    expect(botToInbound(parseBotUpdate(botUpdate({ chatId: 'c', text: '/start' }))!)).toMatchObject({ kind: 'command', command: 'start' });
    expect(botToInbound(parseBotUpdate(botUpdate({ chatId: 'c', photoUrl: 'https://p/1.jpg' }))!)).toMatchObject({ kind: 'photo', fileRef: 'https://p/1.jpg' });
    expect(botToInbound(parseBotUpdate(botUpdate({ chatId: 'c', event: 'message.sticker.received' }))!)).toMatchObject({ kind: 'unsupported' });
    expect(botToInbound(parseBotUpdate(botUpdate({ chatId: 'c', text: 'hi', chatType: 'GROUP' }))!)).toBeUndefined();
    expect(parseBotUpdate({ ok: true, result: 'x' })).toBeUndefined();
  });
});
