import { z } from 'zod';
import type { Domain } from '../../domain/domain.js';
import { ALLOWED_TRANSITIONS, CASE_NUMBER_PATTERN, FRAUD_CATEGORIES, FRAUD_STATUSES, NOTE_MAX, type FraudCaseFilter, type FraudCaseView } from '../../domain/fraud.js';
import { writeCsv } from './csv-answer.js';
import { notFound } from '../../domain/errors.js';
import { ApiError } from './admin-errors.js';
import type { AdminRouteModule } from './route-module.js';
import { isoDate, provinceCode } from './validate.js';

const caseNumber = z.string().regex(CASE_NUMBER_PATTERN, 'expected a case number such as LD-2026-000123').describe('Case number, e.g. LD-2026-000123');
const caseParams = z.strictObject({ caseNumber });

const VIETNAM_OFFSET = '+07:00';
/** A day (read in Vietnam time) or an instant. */
const dateOrInstant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

const filterQuery = z.strictObject({
  status: z.enum(FRAUD_STATUSES).optional(),
  category: z.enum(FRAUD_CATEGORIES).optional(),
  severity: z.enum(['urgent', 'normal']).optional(),
  province: provinceCode.optional().describe('Only this province; a province-scoped key always gets its own'),
  from: dateOrInstant.optional().describe('Reported on or after this day (YYYY-MM-DD, Vietnam time) or instant (ISO 8601)'),
  to: dateOrInstant.optional().describe('Reported up to and including this day (YYYY-MM-DD), or before this instant'),
  q: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{1,20}$/, 'search by case number: letters, digits and dashes, up to 20')
    .optional()
    .describe('Part of a case number, e.g. `000123` or `LD-2026-000123`'),
});
const listQuery = filterQuery.extend({
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('At most this many cases, newest first'),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).describe('Skip this many (the next page starts at offset + limit)'),
});
type FilterQuery = z.output<typeof filterQuery>;

const caseView = z.object({
  caseNumber: z.string(),
  category: z.enum(FRAUD_CATEGORIES),
  severity: z.enum(['urgent', 'normal']).describe('urgent: money was lost'),
  status: z.enum(FRAUD_STATUSES),
  description: z.string().describe('What happened, as reported (codes and card numbers removed)'),
  scammerContact: z.string().nullable(),
  moneyLost: z.boolean(),
  amountLost: z.number().nullable().describe('Whole đồng'),
  photoCount: z.number(),
  provinceCode: z.string().nullable().describe("From the reporter's first linked record; null if they had none"),
  reporterChannel: z.string().nullable().describe('null once the reporter erased their data'),
  reporterLocale: z.enum(['vi', 'en']),
  staffAlertedAt: isoDate.nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
const caseDetail = caseView.extend({
  photoRefs: z.array(z.string()).describe('Platform file references of the evidence photos'),
  notes: z.array(z.object({ at: isoDate, by: z.string().describe('Id of the staff key'), text: z.string() })),
});

const noteText = z.string().trim().min(1, 'note must not be empty').max(NOTE_MAX, `note is at most ${NOTE_MAX} characters`);
const statusBody = z.strictObject({ status: z.enum(FRAUD_STATUSES), note: noteText.optional() });
const noteBody = z.strictObject({ text: noteText });

/** `YYYY-MM-DD` is a day in Vietnam; `to` includes that whole day. */
function toInstant(value: string, edge: 'from' | 'to'): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(value);
  const start = new Date(`${value}T00:00:00${VIETNAM_OFFSET}`);
  return edge === 'from' ? start : new Date(start.getTime() + 24 * 3600 * 1000);
}

function filterOf(q: FilterQuery, province: string | null): Omit<FraudCaseFilter, 'limit' | 'offset'> {
  return {
    province,
    ...(q.q ? { caseNumber: q.q.toUpperCase() } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.category ? { category: q.category } : {}),
    ...(q.severity ? { severity: q.severity } : {}),
    ...(q.from ? { from: toInstant(q.from, 'from') } : {}),
    ...(q.to ? { to: toInstant(q.to, 'to') } : {}),
  };
}

const CSV_COLUMNS: (keyof FraudCaseView)[] = [
  'caseNumber',
  'createdAt',
  'status',
  'severity',
  'category',
  'provinceCode',
  'moneyLost',
  'amountLost',
  'photoCount',
  'scammerContact',
  'description',
  'staffAlertedAt',
];

/** Fraud cases reported by chat users: triage, notes, export. */
export const fraudAdminRoutes = (domain: Domain): AdminRouteModule => ({
  tag: {
    name: 'Fraud cases',
    description:
      'Scam reports from beneficiaries. Cases with money lost are urgent and posted to the staff chat. A province-scoped key sees its own province only; cases without a province are visible to unscoped keys.',
  },
  register(api, ctx) {
    // Before `/:caseNumber`, which would otherwise take "export.csv" as a case number.
    api.read(
      {
        path: '/fraud-cases/export.csv',
        summary: 'Export fraud cases as CSV',
        description: 'Same filters as the list, every matching case, newest first. UTF-8 with a byte-order mark so spreadsheet programs show Vietnamese correctly.',
        roles: ['reviewer', 'viewer'],
        query: filterQuery,
        response: { description: 'text/csv; charset=utf-8' },
      },
      async ({ query, scope, res }) => {
        const filter = filterOf(query, scope(query.province));
        const rows = async function* () {
          for await (const row of domain.fraud.export(filter)) yield CSV_COLUMNS.map((c) => row[c]);
        };
        await writeCsv(res, 'fraud-cases.csv', CSV_COLUMNS, rows());
        return undefined;
      },
    );

    api.read(
      {
        path: '/fraud-cases',
        summary: 'List fraud cases',
        roles: ['reviewer', 'viewer'],
        query: listQuery,
        response: {
          description: 'Cases, newest first, one page',
          schema: z.object({ items: z.array(caseView), total: z.number().describe('How many cases match the filters, over all pages') }),
        },
      },
      async ({ query, scope }) => {
        const filter = filterOf(query, scope(query.province));
        const [items, total] = await Promise.all([domain.fraud.list({ ...filter, limit: query.limit, offset: query.offset }), domain.fraud.count(filter)]);
        return { items, total };
      },
    );

    api.read(
      {
        path: '/fraud-cases/:caseNumber',
        summary: 'One fraud case with notes and photo references',
        roles: ['reviewer', 'viewer'],
        params: caseParams,
        response: {
          description: 'The case',
          schema: caseDetail.extend({
            nextStatuses: z.array(z.enum(FRAUD_STATUSES)).describe('Statuses the case may move to from its current one'),
            staffLabels: z.record(z.string(), z.string()).describe('Label of each staff key that wrote a note, by key id (revoked keys keep theirs)'),
          }),
        },
        errors: { 404: 'No such case in your province (`not_found`)' },
      },
      async ({ params, scope }) => {
        const found = await domain.fraud.get(params.caseNumber, scope());
        if (!found) throw notFound('case', { field: 'caseNumber' });
        const staffLabels: Record<string, string> = {};
        for (const [id, label] of await ctx.services.staffKeys.labels(found.notes.map((n) => n.by))) {
          if (label) staffLabels[id] = label;
        }
        return { ...found, nextStatuses: ALLOWED_TRANSITIONS[found.status], staffLabels };
      },
    );

    api.write(
      {
        method: 'post',
        path: '/fraud-cases/:caseNumber/status',
        summary: 'Move a case to another status',
        description:
          'new → in_review | referred | closed; in_review → referred | closed; referred → closed. The reporter is told in their own language, unless they erased their data.',
        roles: ['reviewer'],
        params: caseParams,
        body: statusBody,
        response: { status: 200, description: 'The updated case', schema: caseDetail.extend({ reporterNotified: z.boolean() }) },
        errors: {
          404: 'No such case in your province (`not_found`)',
          409: 'Not allowed from the current status (`invalid_transition`)',
          503: 'Another change to this case is being written (`busy`); retry after `Retry-After` seconds',
        },
        audit: { action: 'fraud_case.status', targetType: 'fraud_case' },
      },
      async ({ params, body, staff, scope }) => {
        const result = await domain.fraud.changeStatus(params.caseNumber, {
          status: body.status,
          ...(body.note ? { note: body.note } : {}),
          by: staff.keyId,
          province: scope(),
        });
        if (result.status === 'not_found') throw notFound('case', { field: 'caseNumber' });
        if (result.status === 'invalid_transition') {
          throw new ApiError(409, 'invalid_transition', `a case in status ${result.current} cannot move to ${body.status}`, { field: 'status' });
        }
        return {
          body: { ...result.case, reporterNotified: result.reporterNotified },
          audit: { targetId: params.caseNumber, details: { status: body.status, withNote: body.note !== undefined, reporterNotified: result.reporterNotified } },
        };
      },
    );

    api.write(
      {
        method: 'post',
        path: '/fraud-cases/:caseNumber/notes',
        summary: 'Add a staff note to a case',
        roles: ['reviewer'],
        params: caseParams,
        body: noteBody,
        response: { status: 201, description: 'The case with its notes', schema: caseDetail },
        errors: { 404: 'No such case in your province (`not_found`)', 503: 'Another change to this case is being written (`busy`); retry after `Retry-After` seconds' },
        audit: { action: 'fraud_case.note', targetType: 'fraud_case' },
      },
      async ({ params, body, staff, scope }) => {
        const updated = await domain.fraud.addNote(params.caseNumber, { text: body.text, by: staff.keyId, province: scope() });
        if (!updated) throw notFound('case', { field: 'caseNumber' });
        return { body: updated, audit: { targetId: params.caseNumber, details: { notes: updated.notes.length } } };
      },
    );
  },
});
