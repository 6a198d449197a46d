import { describe, expect, it } from 'vitest';
import { checkLink, linksInText } from '../../src/broadcast/links.js';
import { inQuietHours } from '../../src/domain/quiet-hours.js';
import { builtInTemplates, fillTemplate } from '../../src/broadcast/templates.js';
import { messageFor } from '../../src/broadcast/message.js';
import { PlatformPacer } from '../../src/broadcast/pacer.js';
import { TelegramSender } from '../../src/channels/telegram/telegram-sender.js';
import { loadResources } from '../../src/i18n/i18n.js';
import { broadcastConfig, broadcastSettings } from '../../src/broadcast/config.js';

const ALLOWED = ['baohiemxahoi.gov.vn', 'vssid.vn'];

describe('broadcast link allow-list', () => {
  it('accepts https links on allowed domains and their subdomains', () => {
    expect(checkLink('https://baohiemxahoi.gov.vn/tin-tuc', ALLOWED)).toBeNull();
    expect(checkLink('https://hanoi.baohiemxahoi.gov.vn/', ALLOWED)).toBeNull();
  });
  it('refuses look-alikes, other schemes, credentials in the URL', () => {
    expect(checkLink('https://baohiemxahoi.gov.vn.example.com/', ALLOWED)).toBe('link_not_allowed');
    expect(checkLink('https://fake-baohiemxahoi.gov.vn/', ALLOWED)).toBe('link_not_allowed');
    expect(checkLink('http://baohiemxahoi.gov.vn/', ALLOWED)).toBe('link_not_https');
    expect(checkLink('https://user:pw@vssid.vn/', ALLOWED)).toBe('link_invalid');
    expect(checkLink('không phải link', ALLOWED)).toBe('link_invalid');
  });
  it('finds links written in the text', () => {
    expect(linksInText('Vào https://x.example/otp ngay')).toEqual(['https://x.example/otp']);
    expect(linksInText('Gọi 1900 9068')).toEqual([]);
  });
});

describe('quiet hours (Vietnam time)', () => {
  const quiet = { start: '21:00', end: '07:00' };
  it('wraps over midnight', () => {
    expect(inQuietHours(new Date('2026-05-01T21:30:00+07:00'), quiet, 'Asia/Ho_Chi_Minh')).toBe(true);
    expect(inQuietHours(new Date('2026-05-01T06:59:00+07:00'), quiet, 'Asia/Ho_Chi_Minh')).toBe(true);
    expect(inQuietHours(new Date('2026-05-01T07:00:00+07:00'), quiet, 'Asia/Ho_Chi_Minh')).toBe(false);
    expect(inQuietHours(new Date('2026-05-01T13:00:00+07:00'), quiet, 'Asia/Ho_Chi_Minh')).toBe(false);
    expect(inQuietHours(new Date('2026-05-01T13:00:00+07:00'), null, 'Asia/Ho_Chi_Minh')).toBe(false);
  });
});

describe('notice templates', () => {
  const templates = builtInTemplates(loadResources());
  it('ships the anti-fraud warnings in Vietnamese and English with the same named fields', () => {
    const otp = templates.find((t) => t.id === 'otpWarning')!;
    expect(otp.fields).toEqual(['province_hotline']);
    expect(otp.text.vi).toContain('KHÔNG BAO GIỜ hỏi mã OTP');
    expect(otp.text.en).toContain('{{province_hotline}}');
    for (const t of templates) expect(fillTemplate(t.text.en, Object.fromEntries(t.fields.map((f) => [f, 'x']))).ok).toBe(true);
  });
  it('fills fields and names the missing ones', () => {
    expect(fillTemplate('Gọi {{province_hotline}}.', { province_hotline: '1900 9068' })).toEqual({ ok: true, text: 'Gọi 1900 9068.' });
    expect(fillTemplate('{{a}} {{b}}', { a: '1' })).toEqual({ ok: false, missing: ['b'] });
  });
});

describe('rendering a notice', () => {
  const broadcast = { content: { vi: { text: 'Xin chào', linkLabel: 'Xem' } }, linkUrl: 'https://vssid.vn/', imageUrl: undefined };
  it('falls back to Vietnamese when there is no English text', () => {
    expect(messageFor(broadcast, 'en')).toEqual({ text: 'Xin chào', link: { label: 'Xem', url: 'https://vssid.vn/' } });
    expect(messageFor({ ...broadcast, content: { ...broadcast.content, en: { text: 'Hello', linkLabel: 'Open' } } }, 'en').text).toBe('Hello');
  });
  it('puts a photo, its caption and the link button in one Telegram call', () => {
    const sender = new TelegramSender({ callApi: async () => ({}) as never });
    const calls = sender.render('42', { text: 'Cảnh báo', photo: 'https://vssid.vn/a.jpg', link: { label: 'Xem', url: 'https://vssid.vn/' } }, 'notice');
    expect(calls).toEqual([
      { method: 'sendPhoto', params: { chat_id: '42', photo: 'https://vssid.vn/a.jpg', caption: 'Cảnh báo', reply_markup: { inline_keyboard: [[{ text: 'Xem', url: 'https://vssid.vn/' }]] } } },
    ]);
  });
});

describe('platform pacer', () => {
  it('never lets more than the rate start within one second, and spaces one chat', async () => {
    let t = 0;
    const pacer = new PlatformPacer({ ratePerSecond: 10, perChatPerSecond: 1 }, 5, () => t);
    const starts: number[] = [];
    // A fake clock: sleeping is replaced by jumping the clock forward.
    const realSetTimeout = globalThis.setTimeout;
    globalThis.setTimeout = ((fn: () => void, ms: number) => {
      t += ms;
      return realSetTimeout(fn, 0);
    }) as typeof setTimeout;
    try {
      for (let i = 0; i < 35; i++) {
        const done = await pacer.acquire(`chat-${i}`);
        starts.push(t);
        done();
      }
      const again = await pacer.acquire('chat-0');
      again();
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
    for (let i = 10; i < starts.length; i++) expect(starts[i]! - starts[i - 10]!).toBeGreaterThan(1000);
    // 35 sends at 10/s take about 3.4 s, not much more.
    expect(starts.at(-1)!).toBeLessThan(3600);
  });

  it('waits out a pause asked for by the platform', async () => {
    let t = 0;
    const pacer = new PlatformPacer({ ratePerSecond: 100, perChatPerSecond: 1 }, 5, () => t);
    const realSetTimeout = globalThis.setTimeout;
    globalThis.setTimeout = ((fn: () => void, ms: number) => {
      t += ms;
      return realSetTimeout(fn, 0);
    }) as typeof setTimeout;
    try {
      pacer.pause(2000);
      await pacer.acquire('a');
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
    expect(t).toBeGreaterThanOrEqual(2000);
  });
});

describe('broadcast settings from the environment', () => {
  it('maps rates, threshold, domains and quiet hours; "off"-like null disables quiet hours', () => {
    const config = broadcastConfig(
      broadcastSettings({ telegramRatePerSecond: 1000, telegramPerChatPerSecond: 1, zaloRatePerSecond: 5, approvalThreshold: 50, costApprovalVnd: 200_000, templatePrices: { TRANSACTION: { uid: 200, phone: 300 } }, allowedLinkDomains: ['vssid.vn'], quietHours: '22:00-06:30' }),
    );
    expect(config.limits.telegram).toEqual({ ratePerSecond: 1000, perChatPerSecond: 1 });
    expect(config.limits.zalo?.ratePerSecond).toBe(5);
    expect(config.quietHours).toEqual({ start: '22:00', end: '06:30' });
    expect(config.approvalThreshold).toBe(50);
    expect(config.costApprovalVnd).toBe(200_000);
    expect(config.templatePrices.TRANSACTION).toEqual({ uid: 200, phone: 300 });
    expect(broadcastConfig(broadcastSettings({ telegramRatePerSecond: 30, telegramPerChatPerSecond: 1, zaloRatePerSecond: 5, approvalThreshold: 1, costApprovalVnd: 0, templatePrices: {}, allowedLinkDomains: [], quietHours: null })).quietHours).toBeNull();
  });
});
