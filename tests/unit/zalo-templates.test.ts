import { describe, expect, it } from 'vitest';
import { checkTemplateData, templateOutcome, type ZaloTemplate } from '../../src/channels/zalo/template-client.js';
import { ZaloApiError, ZaloThrottledError } from '../../src/channels/zalo/zalo-errors.js';

const err = (code: number) => new ZaloApiError('message/template', code, 'x');

describe('template send outcomes (Zalo ZBS / ZNS error codes)', () => {
  it('tells a spent quota, a person Zalo cannot reach, a refusal, an unusable template and bad parameters apart', () => {
    expect(templateOutcome(err(-144))).toEqual({ kind: 'quota_exhausted', code: -144 });
    expect(templateOutcome(err(-1441)).kind).toBe('quota_exhausted');
    expect(templateOutcome(err(-118))).toEqual({ kind: 'not_on_zalo', code: -118 });
    expect(templateOutcome(err(-108)).kind).toBe('not_on_zalo');
    expect(templateOutcome(err(-141))).toEqual({ kind: 'refused', code: -141 });
    expect(templateOutcome(err(-244)).kind).toBe('refused');
    expect(templateOutcome(err(-131))).toEqual({ kind: 'template_unusable', code: -131, reason: 'not_approved' });
    expect(templateOutcome(err(-146))).toMatchObject({ reason: 'disabled' });
    expect(templateOutcome(err(-117))).toMatchObject({ reason: 'zalo_-117' });
    expect(templateOutcome(err(-146)).kind).toBe('template_unusable');
    expect(templateOutcome(err(-249)).kind).toBe('template_unusable');
    expect(templateOutcome(err(-1121))).toEqual({ kind: 'bad_params', code: -1121, reason: 'zalo_-1121' });
    expect(templateOutcome(err(-1122)).kind).toBe('bad_params');
  });

  it('retries network trouble, server errors and throttling, and gives up on anything else', () => {
    expect(templateOutcome(new ZaloApiError('message/template', -1, 'network: reset'))).toEqual({ kind: 'retry', code: -1, reason: 'network' });
    expect(templateOutcome(err(-502)).kind).toBe('retry');
    expect(templateOutcome(err(-100)).kind).toBe('retry');
    expect(templateOutcome(new ZaloThrottledError('message/template', 429, 'HTTP 429')).kind).toBe('retry');
    expect(templateOutcome(new Error('boom')).kind).toBe('retry');
    expect(templateOutcome(err(-999))).toEqual({ kind: 'failed', code: -999, reason: 'zalo_-999' });
  });
});

describe('template data against the template', () => {
  const template: Pick<ZaloTemplate, 'params'> = {
    params: [
      { name: 'ho_ten', required: true, type: 'STRING', minLength: 1, maxLength: 30, acceptNull: false },
      { name: 'so_tien', required: true, type: 'STRING', minLength: 0, maxLength: 12, acceptNull: false },
      { name: 'ghi_chu', required: false, type: 'STRING', minLength: 0, maxLength: 90, acceptNull: true },
    ],
  };

  it('accepts data that fits', () => {
    expect(checkTemplateData(template, { ho_ten: 'Nguyễn Văn An', so_tien: '4350000' })).toEqual([]);
  });

  it('names each problem before anything is sent: missing, too long (with the limit), unknown', () => {
    expect(checkTemplateData(template, { so_tien: '4350000000000', la: 'x' })).toEqual([
      { param: 'ho_ten', problem: 'missing' },
      { param: 'so_tien', problem: 'too_long', max: 12 },
      { param: 'la', problem: 'unknown' },
    ]);
  });
});
