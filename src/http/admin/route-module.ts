import type { Request, RequestHandler, Response } from 'express';
import type { Connection } from 'mongoose';
import type { z } from 'zod';
import type { Logger } from '../../logger.js';
import type { StaffRole } from '../../db/models/staff-key.js';
import type { AuditService } from '../../domain/audit.js';
import type { StaffIdentity, StaffKeyService } from '../../domain/staff-keys.js';
import type { AuditTarget } from './audit-middleware.js';
import type { OpenApiTag } from './openapi.js';

/**
 * The extension point of the admin API. A feature (imports, review queue,
 * broadcasts) is one module: it declares its routes through `api`, and each
 * declaration both mounts the express route (authentication, role check,
 * zod validation, audit for writes) and writes its OpenAPI operation — there
 * is no second place to keep in sync.
 *
 * ```ts
 * export const reviewRoutes = (deps: { requests: PaymentRequestService }): AdminRouteModule => ({
 *   tag: { name: 'Reviews', description: 'Payment-method requests waiting for a decision.' },
 *   register(api) {
 *     api.write({
 *       method: 'post', path: '/reviews/:id/approve', summary: 'Approve a request', roles: ['reviewer'],
 *       params: z.strictObject({ id: objectId }),
 *       response: { description: 'The approved request', schema: reviewView },
 *       errors: { 404: 'No such request in your province' },
 *       audit: { action: 'payment_request.approve', targetType: 'payment_request' },
 *     }, async ({ params, staff, scope }) => {
 *       const request = await deps.requests.approve(params.id, { province: scope(), reviewer: staff.keyId });
 *       return { body: request, audit: { targetId: params.id, details: { status: request.status } } };
 *     });
 *   },
 * });
 * // startApp: createAdminRouter({ connection, logger, extraRoutes: [reviewRoutes({ requests })] })
 * ```
 */
export interface AdminRouteModule {
  /** Groups the module's operations in the OpenAPI document and the docs page. */
  tag: OpenApiTag;
  register(api: AdminApi, ctx: AdminContext): void;
}

/** What every module may use besides its own dependencies. */
export interface AdminContext {
  connection: Connection;
  logger: Logger;
  services: { staffKeys: StaffKeyService; audit: AuditService };
}

/** A route without path parameters or query string. */
type NoFields = z.ZodObject<Record<never, never>>;

export interface AdminApi {
  /** A GET route. The handler returns the JSON body. */
  read<P extends z.ZodObject = NoFields, Q extends z.ZodObject = NoFields>(
    spec: ReadRouteSpec<P, Q>,
    handler: (input: RouteInput<z.output<P>, z.output<Q>, undefined>) => Promise<unknown>,
  ): void;
  /**
   * A route that changes something. The handler returns the JSON body and what
   * to audit; the entry is recorded only when the handler succeeds, after its write.
   */
  write<P extends z.ZodObject = NoFields, Q extends z.ZodObject = NoFields, B extends z.ZodType = z.ZodUndefined>(
    spec: WriteRouteSpec<P, Q, B>,
    handler: (input: RouteInput<z.output<P>, z.output<Q>, z.output<B>>) => Promise<WriteResult>,
  ): void;
  /**
   * A POST that changes nothing and is not audited: it answers from its body
   * (a preview of a draft), too large or structured for a query string.
   */
  compute<B extends z.ZodType>(spec: ComputeRouteSpec<B>, handler: (input: RouteInput<Record<never, never>, Record<never, never>, z.output<B>>) => Promise<unknown>): void;
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  staff: StaffIdentity;
  /** The province filter for this caller (see `provinceScope`): throws 403 if a scoped key asks for another. */
  scope(requested?: string | null): string | null;
  req: Request;
  res: Response;
}

export interface WriteResult {
  /** JSON body; omitted for 204. */
  body?: unknown;
  audit: AuditTarget;
}

export interface ReadRouteSpec<P extends z.ZodObject, Q extends z.ZodObject> {
  /** Express syntax, relative to /admin/api: `/keys/:id`. */
  path: string;
  summary: string;
  description?: string;
  /** Roles allowed besides admin, which may call everything. */
  roles: readonly StaffRole[];
  /** Strict object with one property per `:param` of `path`. */
  params?: P;
  /** Strict object; without it any query parameter is refused. */
  query?: Q;
  response: { status?: number; description: string; schema?: z.ZodType };
  /** Error answers specific to this route (400/401/403/429 are documented for every route). */
  errors?: Record<number, string>;
  /** Runs after authentication and the role check, before validation (e.g. a multipart parser). */
  middleware?: RequestHandler[];
}

export interface ComputeRouteSpec<B extends z.ZodType> extends Omit<ReadRouteSpec<NoFields, NoFields>, 'params' | 'query'> {
  body: B;
}

export interface WriteRouteSpec<P extends z.ZodObject, Q extends z.ZodObject, B extends z.ZodType> extends ReadRouteSpec<P, Q> {
  method: 'post' | 'put' | 'patch' | 'delete';
  body?: B;
  /** `action` like `staff_key.create`; `targetType` like `staff_key`. */
  audit: { action: string; targetType: string };
}
