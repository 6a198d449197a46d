import { z } from 'zod';
import { InvalidCursorError } from '../../domain/audit.js';
import { ApiError } from './admin-errors.js';
import type { AdminRouteModule } from './route-module.js';
import { isoDate, objectId } from './validate.js';

const entry = z.object({
  id: z.string(),
  at: isoDate,
  actor: z.object({
    keyId: z.string().nullable().describe('null for the start-up bootstrap and the CLI'),
    label: z.string(),
    role: z.string(),
    province: z.string().nullable(),
  }),
  action: z.string().describe('e.g. `staff_key.create`'),
  target: z.object({ type: z.string(), id: z.string().nullable() }),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});

const query = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional().describe('Entries at or after this instant (ISO 8601)'),
  to: z.iso.datetime({ offset: true }).optional().describe('Entries before this instant (ISO 8601)'),
  action: z.string().regex(/^[a-z_]+(\.[a-z_]+)*$/, 'expected an action such as staff_key.create').optional(),
  keyId: objectId.optional().describe('Entries made with this key'),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Page size'),
  cursor: z.string().max(200).optional().describe('`nextCursor` of the previous page'),
});

/** The audit trail, newest first. */
export const auditRoutes: AdminRouteModule = {
  tag: { name: 'Audit', description: 'Every write made through the API or the admin CLI: who, what, when, from where.' },
  register(api, { services }) {
    api.read(
      {
        path: '/audit',
        summary: 'Read the audit log',
        description: 'Newest first. Follow `nextCursor` until it is null. A province-scoped admin sees entries made by keys of its province.',
        roles: ['admin'],
        query,
        response: { description: 'One page of entries', schema: z.object({ items: z.array(entry), nextCursor: z.string().nullable() }) },
      },
      async ({ query: q, scope }) => {
        try {
          return await services.audit.list({
            limit: q.limit,
            ...(q.from ? { from: new Date(q.from) } : {}),
            ...(q.to ? { to: new Date(q.to) } : {}),
            ...(q.action ? { action: q.action } : {}),
            ...(q.keyId ? { keyId: q.keyId } : {}),
            ...(q.cursor ? { cursor: q.cursor } : {}),
            actorProvince: scope(),
          });
        } catch (err) {
          if (err instanceof InvalidCursorError) throw new ApiError(400, 'validation_failed', err.message, { field: 'cursor' });
          throw err;
        }
      },
    );
  },
};
