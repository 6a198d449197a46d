import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Domain } from '../../domain/domain.js';
import { CASE_NUMBER_PATTERN, MAX_PHOTOS } from '../../domain/fraud.js';
import { PhotoUnavailableError, platformOfRef, type EvidencePhotos } from '../../domain/evidence-photos.js';
import { DomainError, notFound } from '../../domain/errors.js';
import { ApiError } from './admin-errors.js';
import { recordAudit, type AuditWhat } from './audit-middleware.js';
import type { AdminContext, AdminRouteModule } from './route-module.js';
import { objectId } from './validate.js';

const photoParams = z.strictObject({
  caseNumber: z.string().regex(CASE_NUMBER_PATTERN, 'expected a case number such as LD-2026-000123').describe('Case number, e.g. LD-2026-000123'),
  index: z
    .string()
    .regex(/^\d{1,2}$/, 'expected the photo number, counting from 0')
    .transform(Number)
    .pipe(z.number().max(MAX_PHOTOS - 1, `a case has at most ${MAX_PHOTOS} photos`))
    .describe('Which photo of the case, counting from 0 (see `photoCount`)'),
});
const linkParams = z.strictObject({ id: objectId });

const IMAGE_ANSWER =
  'The image: image/jpeg, image/png, image/gif or image/webp as the platform stored it (the type is checked from the bytes), or image/svg+xml for the simulator\'s placeholder. Never cached.';
const UNAVAILABLE = 'The platform could not give the photo (`photo_unavailable`): expired on the platform, platform not configured here, not an image, too large, too slow, or a URL outside Zalo\'s image hosts';

/**
 * Fetches the photo, records that this staff member looked at it, and sends
 * the bytes. The audit entry is written before the bytes leave, like a write's:
 * looking at someone's papers is itself something to account for.
 */
async function sendPhoto(
  ctx: AdminContext,
  photos: EvidencePhotos,
  req: Request,
  res: Response,
  ref: string,
  audit: Omit<AuditWhat, 'details'> & { details: Record<string, string | number> },
): Promise<undefined> {
  let photo;
  try {
    photo = await photos.load(ref);
  } catch (err) {
    if (!(err instanceof PhotoUnavailableError)) throw err;
    ctx.logger.warn(
      { event: 'evidence_photo_unavailable', platform: platformOfRef(ref), reason: err.reason, targetType: audit.targetType, targetId: audit.targetId },
      'evidence photo not available',
    );
    throw new ApiError(502, 'photo_unavailable', err.message);
  }
  await recordAudit(ctx.services.audit, ctx.logger, req, res, { ...audit, details: { ...audit.details, platform: photo.platform } });
  res.status(200);
  res.set({
    'Content-Type': photo.contentType,
    'Content-Length': String(photo.bytes.length),
    'Cache-Control': 'no-store',
    'Content-Disposition': 'inline',
    // Opened on its own (new tab), the image is a document: nothing in it may run or load.
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(photo.bytes);
  return undefined;
}

/**
 * Evidence photos of fraud cases and relatives' authorisation papers, fetched
 * from the platform that holds them each time they are viewed, for reviewers.
 */
export const evidenceAdminRoutes = (domain: Domain, photos: EvidencePhotos): AdminRouteModule => ({
  tag: {
    name: 'Evidence photos',
    description:
      'Photos chat users sent as evidence. They stay on the platform (Telegram, Zalo) and are fetched each time; every view is recorded in the audit log as `evidence_photo.read`. Reviewers and admins only; a province-scoped key sees its own province only.',
  },
  register(api, ctx) {
    api.read(
      {
        path: '/fraud-cases/:caseNumber/photos/:index',
        summary: 'One evidence photo of a fraud case',
        roles: ['reviewer'],
        params: photoParams,
        response: { description: IMAGE_ANSWER },
        errors: { 404: 'No such case in your province, or no photo with that number (`not_found`)', 502: UNAVAILABLE },
      },
      async ({ params, scope, req, res }) => {
        const found = await domain.fraud.get(params.caseNumber, scope());
        if (!found) throw notFound('case', { field: 'caseNumber' });
        const ref = found.photoRefs[params.index];
        if (ref === undefined) throw new DomainError('not_found', `this case has ${found.photoRefs.length} photo(s)`, { details: { field: 'index' } });
        return sendPhoto(ctx, photos, req, res, ref, {
          action: 'evidence_photo.read',
          targetType: 'fraud_case',
          targetId: params.caseNumber,
          details: { index: params.index },
        });
      },
    );

    api.read(
      {
        path: '/links/:id/photo',
        summary: "The photo of a relative's authorisation or guardianship paper",
        roles: ['reviewer'],
        params: linkParams,
        response: { description: IMAGE_ANSWER },
        errors: { 404: 'No such link in your province, or it has no paper (`not_found`)', 502: UNAVAILABLE },
      },
      async ({ params, scope, req, res }) => {
        const link = await domain.links.reviewItem(params.id, scope());
        if (!link) throw notFound('relative link in your province', { field: 'id' });
        if (!link.document) throw new DomainError('not_found', 'this link has no paper photo', { details: { field: 'id' } });
        return sendPhoto(ctx, photos, req, res, link.document.photoRef, {
          action: 'evidence_photo.read',
          targetType: 'beneficiary_link',
          targetId: params.id,
          details: { kind: link.document.kind },
        });
      },
    );
  },
});
