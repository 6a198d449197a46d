import { describe, expect, it } from 'vitest';
import { oaMac, verifyOaSignature } from '../../src/channels/zalo/oa-signature.js';
import { oaEvent, signOaBody } from '../support/fake-zalo.js';

const appId = '1234567890123456789';
const oaSecretKey = 'oa-secret-key-for-tests';
const now = 1_760_000_000_000;

const raw = JSON.stringify(oaEvent(appId, { kind: 'text', userId: 'u1', text: 'Xin chào', msgId: 'm1' }, now));
const check = (header: string | undefined, body = raw, at = now) => verifyOaSignature({ header, rawBody: body, appId, oaSecretKey, now: at });

describe('Zalo OA webhook signature', () => {
  it('accepts mac=sha256(appId + body + timestamp + OA secret key)', () => {
    const header = `mac=${oaMac(appId, raw, String(now), oaSecretKey)}`;
    expect(header).toBe(signOaBody(raw, appId, oaSecretKey));
    const result = check(header);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.body.event_name).toBe('user_send_text');
  });

  it('refuses a wrong signature, another secret, or the app secret in place of the OA key', () => {
    expect(check(`mac=${'0'.repeat(64)}`)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(check(signOaBody(raw, appId, 'another-secret'))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(check(signOaBody(raw, '999', oaSecretKey))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(check('mac=not-hex')).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a missing signature', () => {
    expect(check(undefined)).toEqual({ ok: false, reason: 'missing_signature' });
    expect(check('  ')).toEqual({ ok: false, reason: 'missing_signature' });
  });

  it('refuses a timestamp more than 5 minutes off, either way', () => {
    const header = signOaBody(raw, appId, oaSecretKey);
    expect(check(header, raw, now + 5 * 60_000).ok).toBe(true);
    expect(check(header, raw, now + 5 * 60_000 + 1)).toEqual({ ok: false, reason: 'stale' });
    expect(check(header, raw, now - 5 * 60_000 - 1)).toEqual({ ok: false, reason: 'stale' });
  });

  it('refuses a body altered by one byte', () => {
    const header = signOaBody(raw, appId, oaSecretKey);
    for (const i of [0, 10, Math.floor(raw.length / 2), raw.length - 2]) {
      const altered = raw.slice(0, i) + String.fromCharCode(raw.charCodeAt(i) ^ 1) + raw.slice(i + 1);
      expect(check(header, altered).ok, `byte ${i}`).toBe(false);
    }
    // Same JSON, other whitespace: the raw bytes are what is signed.
    expect(check(header, JSON.stringify(JSON.parse(raw), null, 1)).ok).toBe(false);
  });

  it('calls a body without JSON or timestamp malformed', () => {
    expect(check('mac=00', 'not json')).toEqual({ ok: false, reason: 'malformed' });
    expect(check('mac=00', '[1,2]')).toEqual({ ok: false, reason: 'malformed' });
    expect(check('mac=00', '{"event_name":"follow"}')).toEqual({ ok: false, reason: 'malformed' });
  });
});
