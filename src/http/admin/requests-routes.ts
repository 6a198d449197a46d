import { z } from 'zod';
import { REQUEST_STATUSES } from '../../db/models/payment-method-request.js';
import { PAYMENT_METHODS } from '../../db/models/beneficiary.js';
import type { Domain } from '../../domain/domain.js';
import type { DecisionResult, ExportRow, PaymentMethodService, RequestView } from '../../domain/payment-methods.js';
import { csvCell } from '../../domain/import/csv.js';
import { notFound } from '../../domain/errors.js';
import { ApiError } from './admin-errors.js';
import { recordAudit } from './audit-middleware.js';
import type { AdminRouteModule } from './route-module.js';
import { isoDate, provinceCode } from './validate.js';

const status = z.enum(REQUEST_STATUSES);

/** A request id (24 hex) or its reference (`YC-7K3Q9X`). */
const requestId = z
  .string()
  .regex(/^(?:[0-9a-f]{24}|YC-[2-9A-HJKMNP-Z]{6})$/, 'expected a request id or a reference such as YC-7K3Q9X')
  .describe('Request id or reference');

const bhxhCode = z.string().regex(/^\d{10}$/, 'expected a 10-digit BHXH code').describe('10-digit social-insurance number');

const requestView = z.object({
  id: z.string(),
  reference: z.string(),
  status,
  provinceCode: z.string(),
  beneficiary: z.object({
    id: z.string(),
    fullName: z.string().nullable(),
    bhxhCodeMasked: z.string().nullable(),
    currentMethod: z
      .object({ kind: z.enum(PAYMENT_METHODS), bankName: z.string().nullable(), accountMasked: z.string().nullable() })
      .nullable()
      .describe('How the person is paid now (account masked)'),
  }),
  method: z.object({
    kind: z.enum(PAYMENT_METHODS),
    bankBin: z.string().nullable(),
    bankName: z.string().nullable(),
    walletProvider: z.string().nullable(),
    accountMasked: z.string().nullable().describe('Never in clear here; only the CSV export decrypts'),
    holderName: z.string().nullable(),
    nameMatches: z.boolean().nullable().describe('false: holder name differs from the beneficiary, check before approving'),
    homeReason: z.string().nullable(),
  }),
  requestedBy: z.object({ channel: z.string(), role: z.string() }),
  notMe: z.boolean().describe('A linked chat tapped "this was not me": call the beneficiary'),
  notMeAt: isoDate.nullable(),
  withinMinInterval: z.boolean().describe('Sent within the minimum interval since the last change; approval needs overrideFrequency'),
  overrideFrequency: z.boolean(),
  effectiveFromPeriod: z.string().nullable().describe('YYYY-MM'),
  coolingOffUntil: isoDate.nullable(),
  ifApprovedNow: z
    .object({ coolingOffUntil: isoDate, effectiveFromPeriod: z.string().describe('YYYY-MM') })
    .nullable()
    .describe('While submitted: the cooling-off end and first period an approval today would set, so the reviewer sees the consequence'),
  reviewedBy: z.string().nullable(),
  reviewedAt: isoDate.nullable(),
  reviewReason: z.string().nullable(),
  createdAt: isoDate,
});

const CSV_COLUMNS: { header: string; value: (row: ExportRow) => string }[] = [
  { header: 'reference', value: (r) => r.reference },
  { header: 'bhxh_code', value: (r) => r.bhxhCode },
  { header: 'full_name', value: (r) => r.fullName },
  { header: 'method', value: (r) => r.method },
  { header: 'bank_bin', value: (r) => r.bankBin },
  { header: 'bank_name', value: (r) => r.bankName },
  { header: 'account_number', value: (r) => r.account },
  { header: 'holder_name', value: (r) => r.holderName },
  { header: 'effective_period', value: (r) => r.effectiveFromPeriod },
];

function toCsv(rows: ExportRow[]): string {
  const lines = [CSV_COLUMNS.map((c) => c.header).join(','), ...rows.map((row) => CSV_COLUMNS.map((c) => csvCell(c.value(row))).join(','))];
  // BOM so Excel reads the Vietnamese names as UTF-8.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The view with what approving it today would set (null once it is no longer `submitted`). */
function withSchedule(service: PaymentMethodService, view: RequestView) {
  return { ...view, ifApprovedNow: view.status === 'submitted' ? service.approvalSchedule(view.provinceCode) : null };
}

function decisionBody(result: DecisionResult): RequestView {
  if (result.ok) return result.request;
  switch (result.reason) {
    case 'not_found':
      throw notFound('request in your province', { field: 'id' });
    case 'conflict':
      throw new ApiError(409, 'already_decided', `the request is ${result.status}; it cannot be decided again`, { field: 'id' });
    case 'beneficiary_frozen':
      throw new ApiError(409, 'beneficiary_frozen', 'the beneficiary is frozen; unfreeze first');
    case 'too_soon':
      throw new ApiError(409, 'too_soon', 'the last change was within the minimum interval; pass overrideFrequency: true to approve anyway', {
        field: 'overrideFrequency',
      });
  }
}

/** Staff review of payment-method requests, beneficiary freezes, putting changes into effect, and the paying-agent export. */
export const requestsAdminRoutes = (domain: Domain): AdminRouteModule => ({
  tag: {
    name: 'Payment-method requests',
    description:
      'Requests to change how a beneficiary is paid. Every request needs a reviewer; approval starts a cooling-off, and the change takes effect from the next payment period. Accounts are masked except in the CSV export.',
  },
  register(api, { services, logger }) {
    const service = domain.paymentMethods;

    api.read(
      {
        path: '/requests',
        summary: 'List payment-method requests',
        description: 'Oldest first (the review queue). A province-scoped key sees its province only.',
        roles: ['reviewer', 'viewer'],
        query: z.strictObject({
          status: status.optional().describe('Only requests in this status'),
          province: provinceCode.optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100).describe('At most this many'),
        }),
        response: { description: 'Requests, accounts masked', schema: z.object({ items: z.array(requestView) }) },
      },
      async ({ query, scope }) => ({
        items: (await service.list({ province: scope(query.province), ...(query.status ? { status: query.status } : {}), limit: query.limit })).map((view) =>
          withSchedule(service, view),
        ),
      }),
    );

    // Before `/requests/:id`, which would otherwise take "export.csv" for an id.
    api.read(
      {
        path: '/requests/export.csv',
        summary: 'Export requests for the paying bank or post office (CSV)',
        description:
          'UTF-8 with BOM, one row per request, account numbers in full: the only place they are decrypted. Reviewer or admin only, and every export is recorded in the audit log.',
        roles: ['reviewer'],
        query: z.strictObject({
          status: status.default('approved').describe('Usually approved'),
          province: provinceCode.optional(),
        }),
        response: { description: 'text/csv; columns: reference, bhxh_code, full_name, method, bank_bin, bank_name, account_number, holder_name, effective_period' },
      },
      async ({ query, scope, req, res }) => {
        const province = scope(query.province);
        const rows = await service.exportRows({ province, status: query.status });
        await recordAudit(services.audit, logger, req, res, {
          action: 'payment_request.export',
          targetType: 'payment_request',
          targetId: null,
          details: { status: query.status, province, rows: rows.length },
        });
        res.set('Cache-Control', 'no-store');
        res.set('Content-Disposition', `attachment; filename="payment-requests-${query.status}${province ? `-${province}` : ''}.csv"`);
        res.type('text/csv; charset=utf-8').send(toCsv(rows));
        return undefined;
      },
    );

    api.read(
      {
        path: '/requests/:id',
        summary: 'One payment-method request',
        roles: ['reviewer', 'viewer'],
        params: z.strictObject({ id: requestId }),
        response: { description: 'The request, account masked', schema: requestView },
        errors: { 404: 'No such request in your province (`not_found`)' },
      },
      async ({ params, scope }) => {
        const request = await service.get(params.id, scope());
        if (!request) throw notFound('request in your province', { field: 'id' });
        return withSchedule(service, request);
      },
    );

    api.write(
      {
        method: 'post',
        path: '/requests/:id/approve',
        summary: 'Approve a request',
        description:
          'Only a `submitted` request; atomic, so a second decision answers 409. Sets the cooling-off and the first payment period, and tells the requesting chat.',
        roles: ['reviewer'],
        params: z.strictObject({ id: requestId }),
        body: z.strictObject({
          overrideFrequency: z.boolean().optional().describe('Approve although the last change was within the minimum interval'),
        }),
        response: { status: 200, description: 'The approved request', schema: requestView },
        errors: {
          404: 'No such request in your province (`not_found`)',
          409: 'Already decided or frozen (`already_decided`), beneficiary frozen (`beneficiary_frozen`), or within the minimum interval (`too_soon`)',
          503: 'Another decision on this request is being written (`busy`); retry after `Retry-After` seconds',
        },
        audit: { action: 'payment_request.approve', targetType: 'payment_request' },
      },
      async ({ params, body, staff, scope }) => {
        const request = decisionBody(
          await service.approve(params.id, { province: scope(), reviewer: staff.keyId, overrideFrequency: body.overrideFrequency === true }),
        );
        return {
          body: withSchedule(service, request),
          audit: { targetId: request.id, details: { reference: request.reference, status: request.status, overrideFrequency: request.overrideFrequency } },
        };
      },
    );

    api.write(
      {
        method: 'post',
        path: '/requests/:id/reject',
        summary: 'Reject a request',
        description: 'A `submitted` or `frozen` request. The reason is sent to the requesting chat as written: keep it plain and polite.',
        roles: ['reviewer'],
        params: z.strictObject({ id: requestId }),
        body: z.strictObject({ reason: z.string().trim().min(3, 'give a reason of at least 3 characters').max(500) }),
        response: { status: 200, description: 'The rejected request', schema: requestView },
        errors: { 404: 'No such request in your province (`not_found`)', 409: 'Already decided (`already_decided`)', 503: 'Another decision on this request is being written (`busy`); retry after `Retry-After` seconds' },
        audit: { action: 'payment_request.reject', targetType: 'payment_request' },
      },
      async ({ params, body, staff, scope }) => {
        const request = decisionBody(await service.reject(params.id, { province: scope(), reviewer: staff.keyId, reason: body.reason }));
        return { body: withSchedule(service, request), audit: { targetId: request.id, details: { reference: request.reference, status: request.status } } };
      },
    );

    api.write(
      {
        method: 'post',
        path: '/requests/apply-effective',
        summary: 'Put approved changes into effect',
        description:
          'Marks approved requests whose cooling-off has passed and whose period has come as `effective`, and updates the beneficiary. Idempotent: run it daily, or before preparing a payment list.',
        roles: [],
        response: { status: 200, description: 'How many changes took effect', schema: z.object({ applied: z.number(), skippedFrozen: z.number() }) },
        audit: { action: 'payment_request.apply_effective', targetType: 'payment_request' },
      },
      async ({ scope }) => {
        const province = scope();
        const result = await service.applyEffective(province);
        return { body: result, audit: { targetId: null, details: { ...result, province } } };
      },
    );

    for (const frozen of [true, false]) {
      api.write(
        {
          method: 'post',
          path: `/beneficiaries/:bhxhCode/${frozen ? 'freeze' : 'unfreeze'}`,
          summary: frozen ? 'Freeze payment-method changes for a beneficiary' : 'Lift a freeze',
          description: frozen
            ? 'While frozen, the bot refuses new requests, staff cannot approve, and approved changes do not take effect.'
            : 'Allows payment-method requests again.',
          roles: ['reviewer'],
          params: z.strictObject({ bhxhCode }),
          response: { status: 200, description: 'The beneficiary and its freeze state', schema: z.object({ id: z.string(), frozen: z.boolean() }) },
          errors: { 404: 'No such beneficiary in your province (`not_found`)' },
          audit: { action: frozen ? 'beneficiary.freeze' : 'beneficiary.unfreeze', targetType: 'beneficiary' },
        },
        async ({ params, scope }) => {
          const result = await service.setFrozen(params.bhxhCode, scope(), frozen);
          if (!result) throw notFound('beneficiary in your province', { field: 'bhxhCode' });
          return { body: result, audit: { targetId: result.id, details: { frozen } } };
        },
      );
    }
  },
});
