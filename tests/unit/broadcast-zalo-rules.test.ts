import { describe, expect, it } from 'vitest';
import { platformQuietUntil, quietUntil } from '../../src/domain/quiet-hours.js';
import { zaloOaOutcome, ZALO_OA_LIMITS } from '../../src/channels/zalo/oa-channel.js';
import { ZALO_BOT_LIMITS } from '../../src/channels/zalo/bot-channel.js';
import { TELEGRAM_LIMITS } from '../../src/channels/telegram/telegram-sender.js';
import { zaloOaModule } from '../../src/channels/zalo/module.js';
import { oaError, ZaloApiError } from '../../src/channels/zalo/zalo-errors.js';

// Each platform's night as its channel declares it.
const NIGHT = { zalo: ZALO_OA_LIMITS.night, 'zalo-bot': ZALO_BOT_LIMITS.night, telegram: TELEGRAM_LIMITS.night } as const;

const TZ = 'Asia/Ho_Chi_Minh';
const vn = (local: string) => new Date(`${local}+07:00`);

describe("Zalo's night restriction (Vietnam time)", () => {
  const off = { quietHours: null, timeZone: TZ, ignoreQuietHours: false };

  it('postpones Zalo sends between 22:00 and 06:00 to 06:00 even with quiet hours off', () => {
    expect(platformQuietUntil(NIGHT['zalo'], vn('2026-05-01T22:00:00'), off)).toEqual(vn('2026-05-02T06:00:00'));
    expect(platformQuietUntil(NIGHT['zalo'], vn('2026-05-01T23:59:59'), off)).toEqual(vn('2026-05-02T06:00:00'));
    expect(platformQuietUntil(NIGHT['zalo'], vn('2026-05-02T03:17:42'), off)).toEqual(vn('2026-05-02T06:00:00'));
    expect(platformQuietUntil(NIGHT['zalo'], vn('2026-05-02T05:59:59'), off)).toEqual(vn('2026-05-02T06:00:00'));
    expect(platformQuietUntil(NIGHT['zalo-bot'], vn('2026-05-01T22:30:00'), off)).toEqual(vn('2026-05-02T06:00:00'));
  });

  it('lets Zalo send in the day, and other platforms at night when quiet hours are off', () => {
    expect(platformQuietUntil(NIGHT['zalo'], vn('2026-05-02T06:00:00'), off)).toBeNull();
    expect(platformQuietUntil(NIGHT['zalo'], vn('2026-05-01T21:59:59'), off)).toBeNull();
    expect(platformQuietUntil(NIGHT['zalo'], vn('2026-05-01T12:00:00'), off)).toBeNull();
    expect(platformQuietUntil(NIGHT['telegram'], vn('2026-05-01T23:00:00'), off)).toBeNull();
  });

  it('is not lifted by an urgent broadcast that ignores quiet hours', () => {
    const urgent = { quietHours: { start: '21:00', end: '07:00' }, timeZone: TZ, ignoreQuietHours: true };
    expect(platformQuietUntil(NIGHT['zalo'], vn('2026-05-01T23:00:00'), urgent)).toEqual(vn('2026-05-02T06:00:00'));
    expect(platformQuietUntil(NIGHT['telegram'], vn('2026-05-01T23:00:00'), urgent)).toBeNull();
  });

  it('combines with configured quiet hours: the later end wins, and a narrower setting never shortens the night', () => {
    const wide = { quietHours: { start: '21:00', end: '07:00' }, timeZone: TZ, ignoreQuietHours: false };
    expect(platformQuietUntil(NIGHT['zalo'], vn('2026-05-01T21:30:00'), wide)).toEqual(vn('2026-05-02T07:00:00'));
    expect(platformQuietUntil(NIGHT['zalo'], vn('2026-05-02T06:30:00'), wide)).toEqual(vn('2026-05-02T07:00:00'));
    expect(platformQuietUntil(NIGHT['telegram'], vn('2026-05-01T21:30:00'), wide)).toEqual(vn('2026-05-02T07:00:00'));
    const narrow = { quietHours: { start: '23:00', end: '05:00' }, timeZone: TZ, ignoreQuietHours: false };
    expect(platformQuietUntil(NIGHT['zalo'], vn('2026-05-01T22:15:00'), narrow)).toEqual(vn('2026-05-02T06:00:00'));
    expect(platformQuietUntil(NIGHT['zalo'], vn('2026-05-02T04:00:00'), narrow)).toEqual(vn('2026-05-02T06:00:00'));
    expect(platformQuietUntil(NIGHT['telegram'], vn('2026-05-02T04:00:00'), narrow)).toEqual(vn('2026-05-02T05:00:00'));
  });

  it('computes the end of a window that does not wrap midnight', () => {
    expect(quietUntil(vn('2026-05-01T12:30:10'), { start: '12:00', end: '13:00' }, TZ)).toEqual(vn('2026-05-01T13:00:00'));
    expect(quietUntil(vn('2026-05-01T13:00:00'), { start: '12:00', end: '13:00' }, TZ)).toBeNull();
  });
});

describe('Zalo OA broadcast sender', () => {
  it('maps Zalo answers: window → outside_window, throttling → retry after an unsaid delay, unfollowed → blocked, network/5xx → retryable', () => {
    expect(zaloOaOutcome(oaError('message/cs', -230, 'x'))).toEqual({ kind: 'outside_window', code: -230 });
    expect(zaloOaOutcome(oaError('message/cs', -32, 'x'))).toEqual({ kind: 'retry_after', ms: null });
    expect(zaloOaOutcome(oaError('message/cs', -213, 'x'))).toEqual({ kind: 'blocked', code: -213 });
    expect(zaloOaOutcome(new ZaloApiError('message/cs', -1, 'network: reset'))).toEqual({ kind: 'failed', reason: 'network', retryable: true, code: -1 });
    expect(zaloOaOutcome(new ZaloApiError('message/cs', -502, 'HTTP 502'))).toEqual({ kind: 'failed', reason: 'http_502', retryable: true, code: -502 });
    expect(zaloOaOutcome(oaError('message/cs', -201, 'bad body'))).toEqual({ kind: 'failed', reason: 'zalo_-201', retryable: false, code: -201 });
    expect(zaloOaOutcome(new Error('boom'))).toEqual({ kind: 'failed', reason: 'network', retryable: true });
  });

  it('sends a photo and its text as separate calls', () => {
    const { render } = zaloOaModule.renderer;
    expect(render('1', { text: 'Cảnh báo', photo: 'https://vssid.vn/a.png', link: { label: 'Xem', url: 'https://vssid.vn' } }, 'notice')).toEqual([
      { kind: 'image', source: 'https://vssid.vn/a.png' },
      { kind: 'message', message: { text: 'Cảnh báo', attachment: { type: 'template', payload: { buttons: [{ title: 'Xem', type: 'oa.open.url', payload: { url: 'https://vssid.vn' } }] } } } },
    ]);
    expect(render('1', { text: 'Cảnh báo' }, 'notice')).toEqual([{ kind: 'message', message: { text: 'Cảnh báo' } }]);
  });
});
