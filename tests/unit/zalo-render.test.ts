import { describe, expect, it } from 'vitest';
import { OA_LIMITS, renderOa } from '../../src/channels/zalo/oa-render.js';
import { renderBot } from '../../src/channels/zalo/bot-render.js';
import type { OutMessage } from '../../src/messaging/types.js';

const menu = { label: '↩ Về menu chính', payload: 'g:menu' };
const choices = (n: number) => Array.from({ length: n }, (_, i) => ({ label: `${i + 1}. Mục ${i + 1}`, payload: `c:item${i + 1}` }));

describe('OA renderer', () => {
  it('puts up to 5 options on oa.query.hide buttons whose payload is ours', () => {
    const out: OutMessage = { text: 'Ông/Bà chọn:', buttons: [...choices(4), menu] };
    const [step] = renderOa(out);
    expect(step).toEqual({
      kind: 'message',
      message: {
        text: 'Ông/Bà chọn:',
        attachment: { type: 'template', payload: { buttons: [...choices(4), menu].map((b) => ({ title: b.label, type: 'oa.query.hide', payload: b.payload })) } },
      },
    });
  });

  it('falls back to numbered lines beyond 5 options, keeping the menu button', () => {
    const steps = renderOa({ text: 'Menu', buttons: [...choices(7), menu] });
    expect(steps).toHaveLength(1);
    const message = steps[0]!.kind === 'message' ? steps[0]!.message : undefined;
    expect(message && 'text' in message && message.text).toBe(`Menu\n\n${choices(7).map((c) => c.label).join('\n')}`);
    expect(message && 'attachment' in message && message.attachment.payload).toEqual({ buttons: [{ title: menu.label, type: 'oa.query.hide', payload: 'g:menu' }] });
  });

  it('falls back when a label is longer than Zalo allows', () => {
    const long = { label: `1. ${'x'.repeat(OA_LIMITS.buttonTitle)}`, payload: 'c:long' };
    const [step] = renderOa({ text: 'Q', buttons: [long, menu] });
    expect(step!.kind === 'message' && 'text' in step!.message && step!.message.text).toContain(long.label);
  });

  it('splits text over 2000 characters, buttons on the last part', () => {
    const text = Array.from({ length: 60 }, (_, i) => `Dòng số ${i} ${'chữ '.repeat(10)}`).join('\n');
    const steps = renderOa({ text, buttons: [menu] });
    expect(steps.length).toBeGreaterThan(1);
    for (const s of steps) expect(s.kind === 'message' && 'text' in s.message && s.message.text.length <= 2000).toBe(true);
    expect(steps.filter((s) => s.kind === 'message' && 'attachment' in s.message)).toHaveLength(1);
    const last = steps.at(-1)!;
    expect(last.kind === 'message' && 'attachment' in last.message).toBe(true);
  });

  it('adds a request_user_info template for a phone request, an image step and a link button', () => {
    const steps = renderOa({ text: 'Bước 3.\n\nXin số điện thoại?', requestContact: { label: '📱 Gửi số điện thoại của tôi' }, photo: 'https://x/a.png', link: { label: 'Xem', url: 'https://bhxh.gov.vn' } });
    expect(steps[0]).toEqual({ kind: 'image', source: 'https://x/a.png' });
    expect(steps[1]).toMatchObject({ kind: 'message', message: { attachment: { payload: { buttons: [{ type: 'oa.open.url', payload: { url: 'https://bhxh.gov.vn' } }] } } } });
    expect(steps[2]).toEqual({
      kind: 'message',
      message: { attachment: { type: 'template', payload: { template_type: 'request_user_info', elements: [{ title: '📱 Gửi số điện thoại của tôi', subtitle: 'Xin số điện thoại?' }] } } },
    });
  });
});

describe('Bot Platform renderer', () => {
  it('writes every option as a line, since there are no buttons', () => {
    const calls = renderBot({ text: 'Menu', buttons: [...choices(2), menu], requestContact: { label: '📱 Gửi số điện thoại của tôi' } });
    expect(calls).toEqual([{ method: 'sendMessage', text: 'Menu\n\n1. Mục 1\n2. Mục 2\n↩ Về menu chính\n📱 Gửi số điện thoại của tôi' }]);
  });

  it('sends the photo first and splits at 2000 characters', () => {
    const calls = renderBot({ text: 'y '.repeat(1500), photo: 'https://x/p.jpg' });
    expect(calls[0]).toEqual({ method: 'sendPhoto', photo: 'https://x/p.jpg' });
    expect(calls.slice(1).every((c) => c.method === 'sendMessage' && c.text.length <= 2000)).toBe(true);
    expect(calls).toHaveLength(3);
  });
});
