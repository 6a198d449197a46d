import { z } from 'zod';
import { RELATIONSHIPS } from '../../db/models/beneficiary-link.js';
import type { Domain } from '../../domain/domain.js';
import type { LinkDecisionResult, LinkReviewView } from '../../domain/links.js';
import { notFound } from '../../domain/errors.js';
import { ApiError } from './admin-errors.js';
import type { AdminRouteModule } from './route-module.js';
import { isoDate, objectId, provinceCode } from './validate.js';

const STATUSES = ['pending', 'active', 'rejected', 'revoked', 'expired'] as const;

const linkView = z.object({
  id: z.string(),
  reference: z.string().nullable().describe('Code the relative was given, e.g. `LK-3F9A2C`'),
  status: z.enum(STATUSES),
  role: z.enum(['authorised', 'guardian', 'self']),
  relationship: z.enum(RELATIONSHIPS).nullable(),
  channel: z.string().describe('Where the relative chats (telegram, zalo, simulator)'),
  provinceCode: z.string(),
  beneficiary: z
    .object({ id: z.string(), bhxhCodeMasked: z.string().describe('Only the last 4 digits'), fullName: z.string() })
    .nullable(),
  document: z
    .object({
      kind: z.enum(['authorisation', 'guardianship']),
      number: z.string(),
      issuedOn: z.string().describe('YYYY-MM-DD'),
      issuer: z.string(),
      expiresOn: z.string().nullable().describe('YYYY-MM-DD; null for guardianship'),
      photoRef: z.string().describe('Platform file reference of the photo the relative sent'),
    })
    .nullable(),
  consentVersion: z.string(),
  createdAt: isoDate,
  reviewedAt: isoDate.nullable(),
  reviewedBy: z.string().nullable().describe('Key id of the reviewer'),
  reviewReason: z.string().nullable(),
});

const idParams = z.strictObject({ id: objectId });

const listQuery = z.strictObject({
  status: z.enum(STATUSES).default('pending').describe('Which links to list'),
  province: provinceCode.optional().describe('Only this province (a scoped key always gets its own)'),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('At most this many, oldest first'),
});

const rejectBody = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(3, 'reason is at least 3 characters')
    .max(500, 'reason is at most 500 characters')
    .describe('Sent to the relative as written: say what was wrong and what to bring'),
});

const auditDetails = (link: LinkReviewView) => ({ status: link.status, province: link.provinceCode, role: link.role });

/** Turns a decision outcome into the answer, or the API error. */
function decided(result: LinkDecisionResult): LinkReviewView {
  if (result.status === 'not_found') throw notFound('relative link in your province', { field: 'id' });
  if (result.status === 'already_decided') throw new ApiError(409, 'already_decided', `this link was already decided (${result.current})`, { field: 'id' });
  return result.link;
}

/** Staff review of relatives' links (authorised persons and guardians). */
export const linksAdminRoutes = (domain: Domain): AdminRouteModule => ({
  tag: {
    name: 'Relative links',
    description:
      'Relatives and guardians who registered to act for a beneficiary. They can do nothing for that person until a reviewer approves the paper they sent.',
  },
  register(api) {
    api.read(
      {
        path: '/links',
        summary: 'List relatives\' links',
        description: 'Oldest first, so the queue is worked in order. Identifiers are masked.',
        roles: ['reviewer', 'viewer'],
        query: listQuery,
        response: { description: 'Links', schema: z.object({ items: z.array(linkView) }) },
      },
      async ({ query, scope }) => ({
        items: await domain.links.listForReview({ status: query.status, province: scope(query.province), limit: query.limit }),
      }),
    );

    api.read(
      {
        path: '/links/:id',
        summary: 'One relative\'s link',
        roles: ['reviewer', 'viewer'],
        params: idParams,
        response: { description: 'The link', schema: linkView },
        errors: { 404: 'No such link (`not_found`), or not in your province' },
      },
      async ({ params, scope }) => {
        const link = await domain.links.reviewItem(params.id, scope());
        if (!link) throw notFound('relative link in your province', { field: 'id' });
        return link;
      },
    );

    api.write(
      {
        method: 'post',
        path: '/links/:id/approve',
        summary: 'Approve a relative\'s link',
        description: 'From then on the relative may act for the beneficiary. The relative is told in their chat.',
        roles: ['reviewer'],
        params: idParams,
        response: { status: 200, description: 'The approved link', schema: linkView },
        errors: { 404: 'No such link (`not_found`), or not in your province', 409: 'Already approved or rejected (`already_decided`)' },
        audit: { action: 'relative_link.approve', targetType: 'beneficiary_link' },
      },
      async ({ params, staff, scope }) => {
        const link = decided(await domain.links.decide(params.id, { approve: true, province: scope(), reviewer: staff.keyId }));
        return { body: link, audit: { targetId: params.id, details: auditDetails(link) } };
      },
    );

    api.write(
      {
        method: 'post',
        path: '/links/:id/reject',
        summary: 'Reject a relative\'s link',
        description: 'The reason is sent to the relative, with what to do next.',
        roles: ['reviewer'],
        params: idParams,
        body: rejectBody,
        response: { status: 200, description: 'The rejected link', schema: linkView },
        errors: { 404: 'No such link (`not_found`), or not in your province', 409: 'Already approved or rejected (`already_decided`)' },
        audit: { action: 'relative_link.reject', targetType: 'beneficiary_link' },
      },
      async ({ params, body, staff, scope }) => {
        const link = decided(
          await domain.links.decide(params.id, { approve: false, province: scope(), reviewer: staff.keyId, reason: body.reason }),
        );
        return { body: link, audit: { targetId: params.id, details: auditDetails(link) } };
      },
    );
  },
});
