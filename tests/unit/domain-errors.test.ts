import { join } from 'node:path';
import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { ClaimBusyError, type Claims } from '../../src/db/claims.js';
import { busy, conflict, DOMAIN_ERROR_CODES, DomainError, forbidden, invalidInput, invalidState, isDomainError, notFound, type DomainErrorCode } from '../../src/domain/errors.js';
import { InvalidCursorError } from '../../src/domain/audit.js';
import { recordLeases } from '../../src/domain/record-lease.js';
import { ConversationBusyError } from '../../src/engine/conversation-store.js';
import { DOMAIN_ERROR_MESSAGE_KEYS, domainErrorReply } from '../../src/engine/error-replies.js';
import { errorMessage, errorName } from '../../src/errors.js';
import { adminErrorHandler } from '../../src/http/admin/admin-errors.js';
import { DOMAIN_ERROR_STATUS, domainErrorAnswer, errorHandler } from '../../src/http/errors.js';
import { BroadcastError } from '../../src/broadcast/errors.js';
import { loadResources, Translator } from '../../src/i18n/i18n.js';
import { createLogger } from '../../src/logger.js';

const resources = loadResources(join(import.meta.dirname, '..', '..', 'locales'));

/** One error of each code, as the factories make them. */
const samples: Record<DomainErrorCode, DomainError> = {
  not_found: notFound('beneficiary'),
  conflict: conflict('the link was decided meanwhile'),
  invalid_state: invalidState('the record is frozen'),
  invalid_input: invalidInput('bank is not in the bank directory'),
  forbidden: forbidden('not linked to this record'),
  busy: busy('fraud-case:LD-2026-000001 is being changed by another request'),
};

/** Just enough of express's Response to see what errorHandler answers. */
function fakeResponse() {
  const seen: { status?: number; body?: unknown; headers: Record<string, string> } = { headers: {} };
  const res = {
    set(headers: Record<string, string>) {
      Object.assign(seen.headers, headers);
      return res;
    },
    status(code: number) {
      seen.status = code;
      return res;
    },
    json(body: unknown) {
      seen.body = body;
      return res;
    },
  };
  return { res: res as unknown as Response, seen };
}

describe('DomainError', () => {
  it('has a factory for every code, and each keeps its code', () => {
    for (const code of DOMAIN_ERROR_CODES) {
      expect(samples[code]).toBeInstanceOf(DomainError);
      expect(samples[code].code).toBe(code);
      expect(isDomainError(samples[code], code)).toBe(true);
    }
    expect(notFound('beneficiary').message).toBe('no such beneficiary');
    expect(isDomainError(new Error('no such beneficiary'))).toBe(false);
  });

  it('masks what looks like a CCCD, phone or account number in its message, not case numbers or ids', () => {
    expect(new DomainError('not_found', 'no record for 001155054321').message).toBe('no record for ***');
    expect(new DomainError('not_found', 'no chat for 0912 345 678').message).toBe('no chat for ***');
    expect(new DomainError('not_found', 'account 1903.6668.8888 unknown').message).toBe('account *** unknown');
    expect(new DomainError('not_found', 'no such case LD-2026-000123').message).toBe('no such case LD-2026-000123');
    expect(new DomainError('busy', 'payment-request:65f1a2b3c4d5e6f708192a3b is busy').message).toBe('payment-request:65f1a2b3c4d5e6f708192a3b is busy');
    expect(new DomainError('invalid_input', 'bank 970436 unknown').message).toBe('bank 970436 unknown');
  });

  it('tells when to try again after busy', () => {
    expect(busy('held').retryAfterSeconds).toBe(5);
    expect(busy('held', { retryAfterSeconds: 30 }).retryAfterSeconds).toBe(30);
    expect(notFound('case').retryAfterSeconds).toBeUndefined();
  });

  it('is the base of the domain and engine error classes that name an expected condition', () => {
    expect(new ConversationBusyError('telegram')).toMatchObject({ code: 'busy', details: { channel: 'telegram' } });
    expect(new ConversationBusyError('telegram').message).not.toMatch(/\d/);
    expect(new InvalidCursorError('forged')).toMatchObject({ code: 'invalid_input', details: { field: 'cursor' } });
  });
});

describe('errorMessage and errorName', () => {
  it('reads whatever was thrown, without a cast', () => {
    expect(errorMessage(new TypeError('boom'))).toBe('boom');
    expect(errorMessage('plain string')).toBe('plain string');
    expect(errorMessage({ message: 'from a library' })).toBe('from a library');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
    expect(errorName(new TypeError('boom'))).toBe('TypeError');
    expect(errorName('x')).toBe('string');
  });
});

describe('HTTP mapping (src/http/errors.ts)', () => {
  it('gives every code its status', () => {
    expect(DOMAIN_ERROR_STATUS).toEqual({ not_found: 404, conflict: 409, invalid_state: 409, invalid_input: 400, forbidden: 403, busy: 503 });
    for (const code of DOMAIN_ERROR_CODES) expect(domainErrorAnswer(samples[code]).status).toBe(DOMAIN_ERROR_STATUS[code]);
  });

  it('answers { code, message } like the rest of the API, `field` when one is named, Retry-After for busy', () => {
    expect(domainErrorAnswer(notFound('case', { field: 'caseNumber', caseNumber: 'LD-2026-000001' }))).toEqual({
      status: 404,
      body: { code: 'not_found', message: 'no such case', field: 'caseNumber' },
      headers: {},
    });
    expect(domainErrorAnswer(samples.busy)).toMatchObject({ status: 503, body: { code: 'busy' }, headers: { 'Retry-After': '5' } });
  });

  it('is what the app-level error handler answers', () => {
    const handle = errorHandler(createLogger('silent'));
    for (const code of DOMAIN_ERROR_CODES) {
      const { res, seen } = fakeResponse();
      handle(samples[code], {} as Request, res, () => undefined);
      expect(seen.status).toBe(DOMAIN_ERROR_STATUS[code]);
      expect(seen.body).toEqual({ code, message: samples[code].message });
      expect(seen.headers['Retry-After']).toBe(code === 'busy' ? '5' : undefined);
    }
  });

  it('is what the admin API answers too, with the same status, code, field and headers', () => {
    const handle = adminErrorHandler(createLogger('silent'));
    const { res, seen } = fakeResponse();
    handle(busy('held', { details: { field: 'id' } }), {} as Request, res, () => undefined);
    expect([seen.status, seen.body, seen.headers['Retry-After']]).toEqual([503, { code: 'busy', message: 'held', field: 'id' }, '5']);
  });

  it("answers a finer reason as the code, with its broad kind's status (a broadcast refusal)", () => {
    const handle = adminErrorHandler(createLogger('silent'));
    for (const [err, status, code] of [
      [new BroadcastError('four_eyes', 'a second admin must approve'), 403, 'four_eyes'],
      [new BroadcastError('link_not_allowed', 'not on an allowed domain', 'linkUrl'), 400, 'link_not_allowed'],
      [new BroadcastError('template_conflict', 'edited meanwhile'), 409, 'template_conflict'],
    ] as const) {
      const { res, seen } = fakeResponse();
      handle(err, {} as Request, res, () => undefined);
      expect([seen.status, (seen.body as { code: string }).code]).toEqual([status, code]);
    }
  });
});

describe('chat mapping (src/engine/error-replies.ts)', () => {
  it('names a message for every code that exists in Vietnamese and English, within 300 characters', async () => {
    const translator = await Translator.create(resources);
    for (const code of DOMAIN_ERROR_CODES) {
      const key = DOMAIN_ERROR_MESSAGE_KEYS[code];
      for (const locale of ['vi', 'en'] as const) {
        const node = key.split('.').reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], resources[locale]);
        expect(typeof node, `${locale}:${key}`).toBe('string');
        const text = translator.t(locale, domainErrorReply(samples[code], { hotline: '1900 9068', backToMenu: true }).text[0]!);
        expect(text.length, `${locale}:${key}`).toBeLessThanOrEqual(300);
        expect(text).not.toContain('{{');
      }
    }
  });

  it('never shows the error message itself, and offers the way back to the menu outside the menu', () => {
    const reply = domainErrorReply(notFound('beneficiary'), { hotline: '1900 9068', backToMenu: true });
    expect(JSON.stringify(reply)).not.toContain('no such beneficiary');
    expect(reply.backToMenu).toBe(true);
    expect(domainErrorReply(samples.busy, { hotline: '1900', backToMenu: false }).backToMenu).toBeUndefined();
  });
});

describe('record leases (src/domain/record-lease.ts)', () => {
  it('report a lease held past the wait as busy, and pass other failures through', async () => {
    const held = { waitForLease: async () => null } as unknown as Claims;
    const err = await recordLeases(held)('fraud-case:LD-2026-000001', 'note', async () => 'written').catch((e: unknown) => e);
    expect(isDomainError(err, 'busy')).toBe(true);
    expect((err as DomainError).cause).toBeInstanceOf(ClaimBusyError);

    const free = { waitForLease: async () => ({ release: async () => undefined }) } as unknown as Claims;
    expect(await recordLeases(free)('r', 'o', async () => 'written')).toBe('written');
    await expect(recordLeases(free)('r', 'o', async () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
  });
});
