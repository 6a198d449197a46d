import express, { type Router } from 'express';
import type { Connection } from 'mongoose';
import type { Logger } from '../../logger.js';
import { auditLogModel } from '../../db/models/audit-log.js';
import { staffKeyModel } from '../../db/models/staff-key.js';
import { STAFF_ROLES, type StaffRole } from '../../vocabulary/staff.js';
import { consoleSessionModel } from '../../db/models/console-session.js';
import { ConsoleSessionService } from './console-sessions.js';
import { AuditService } from '../../domain/audit.js';
import { StaffKeyService } from '../../domain/staff-keys.js';
import { adminErrorHandler, adminNotFound } from './admin-errors.js';
import { authenticate, FailedAttemptLimiter, type AttemptLimits } from './auth.js';
import { auditRoutes } from './audit-routes.js';
import { DOCS_CSS, renderDocsPage } from './docs-page.js';
import { keysRoutes } from './keys-routes.js';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi.js';
import type { AdminContext, AdminRouteModule } from './route-module.js';
import { RouteRegistry, type RegisteredRoute } from './route-registry.js';
import { capabilitiesOf, type RoleGatedOperation } from './roles.js';

/** Where startApp mounts the router; the router itself only knows relative paths. */
export const ADMIN_BASE_PATH = '/admin/api';

/** The largest JSON body the admin API reads (the console checks a JSON import against it before sending). */
export const ADMIN_JSON_MAX_BYTES = 1024 * 1024;

export interface AdminRouterDeps {
  connection: Connection;
  logger: Logger;
  /** ADMIN_BOOTSTRAP_KEY: becomes the first admin key when no active admin key exists. */
  bootstrapKey?: string;
  /** Feature modules (imports, reviews, broadcasts) adding routes and their documentation. */
  extraRoutes?: AdminRouteModule[];
  /** Failed-authentication limit per address; tests shorten it. */
  attemptLimits?: AttemptLimits;
  /** Shown in the OpenAPI document. */
  version?: string;
  /** Staff web console: sessions end after this much inactivity. */
  consoleIdleMs?: number;
}

export interface AdminRouter {
  router: Router;
  /** Settles when indexes exist and the bootstrap admin is in place; rejects if that failed. */
  ready: Promise<void>;
  /** What the router serves, as registered; the OpenAPI document is built from it. */
  routes: readonly RegisteredRoute[];
  openapi: OpenApiDocument;
  /** Shared with the web console's sign-in; `capabilities` tells the console what a role may call. */
  services: { staffKeys: StaffKeyService; audit: AuditService; sessions: ConsoleSessionService; capabilities: (role: StaffRole) => Record<string, boolean> };
  limiter: FailedAttemptLimiter;
}

const DOCS_TAG = { name: 'Documentation', description: 'This API described: OpenAPI 3.1 document and a readable page. No key needed.' };

/** The staff JSON API: keys with roles and province scope, audit log, OpenAPI docs, feature modules. */
export function createAdminRouter(deps: AdminRouterDeps): AdminRouter {
  const { connection, logger } = deps;
  const models = { staffKeys: staffKeyModel(connection), auditLog: auditLogModel(connection), sessions: consoleSessionModel(connection) };
  const staffKeys = new StaffKeyService(models.staffKeys);
  const services = {
    staffKeys,
    audit: new AuditService(models.auditLog),
    sessions: new ConsoleSessionService(models.sessions, staffKeys, deps.consoleIdleMs ?? 30 * 60_000),
  };
  const limiter = new FailedAttemptLimiter(deps.attemptLimits);
  const ready = prepare(deps, models, services);

  const router = express.Router();
  // Admin answers may carry personal data later (beneficiaries, payments): never cache them.
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  // Parsed here only: the rest of the app (webhooks) decides its own body handling.
  router.use(express.json({ limit: ADMIN_JSON_MAX_BYTES }));

  const registry = new RouteRegistry(router, {
    authenticate: authenticate({ staffKeys: services.staffKeys, sessions: services.sessions, limiter, ready, logger }),
    audit: services.audit,
    logger,
  });
  const ctx: AdminContext = { connection, logger, services };
  for (const module of [keysRoutes, auditRoutes, ...(deps.extraRoutes ?? [])]) {
    module.register(registry.apiFor(module.tag), ctx);
  }

  // The document is built lazily (first request) so that the docs routes below are in it too.
  let document: OpenApiDocument | undefined;
  const openapi = (): OpenApiDocument =>
    (document ??= buildOpenApiDocument({
      version: deps.version ?? '0.1.0',
      tags: registry.tags,
      operations: registry.routes.map((r) => ({ method: r.method, path: r.openapiPath, operation: r.operation })),
    }));

  registry.addPublic(DOCS_TAG, { path: '/openapi.json', summary: 'OpenAPI document', contentType: 'application/json', responseDescription: 'OpenAPI 3.1 document of this API' }, (req, res) => {
    res.json({ ...openapi(), servers: [{ url: req.baseUrl || ADMIN_BASE_PATH }] });
  });
  registry.addPublic(DOCS_TAG, { path: '/docs', summary: 'API documentation page', contentType: 'text/html', responseDescription: 'This document as HTML' }, (req, res) => {
    res.type('html').send(renderDocsPage(openapi(), req.baseUrl || ADMIN_BASE_PATH));
  });
  registry.addPublic(DOCS_TAG, { path: '/docs.css', summary: 'Style sheet of the documentation page', contentType: 'text/css', responseDescription: 'CSS' }, (_req, res) => {
    res.type('css').send(DOCS_CSS);
  });

  router.use(adminNotFound);
  router.use(adminErrorHandler(logger));

  // Every route needing a key, with the roles it admits: what the console is told a key may do.
  const gated: RoleGatedOperation[] = registry.routes.flatMap((r) => {
    const roles = r.operation['x-roles'];
    return roles ? [{ operationId: r.operation.operationId, roles: STAFF_ROLES.filter((role) => roles.includes(role)) }] : [];
  });

  return {
    router,
    ready,
    routes: registry.routes,
    services: { ...services, capabilities: (role: StaffRole) => capabilitiesOf(role, gated) },
    limiter,
    get openapi() {
      return openapi();
    },
  };
}

async function prepare(
  deps: AdminRouterDeps,
  models: { staffKeys: ReturnType<typeof staffKeyModel>; auditLog: ReturnType<typeof auditLogModel>; sessions: ReturnType<typeof consoleSessionModel> },
  services: { staffKeys: StaffKeyService; audit: AuditService },
): Promise<void> {
  const { logger } = deps;
  try {
    // The unique keyHash index must exist before the bootstrap insert relies on it.
    await Promise.all([models.staffKeys.init(), models.auditLog.init(), models.sessions.init()]);
    if (!deps.bootstrapKey) {
      const adminExists = await models.staffKeys.exists({ role: 'admin', revokedAt: null }).exec();
      if (!adminExists) {
        logger.warn({ event: 'admin_no_key' }, 'no active admin API key: set ADMIN_BOOTSTRAP_KEY or run `npm run admin -- create-key --role admin`');
      }
      return;
    }
    const outcome = await services.staffKeys.ensureBootstrapAdmin(deps.bootstrapKey);
    if (outcome.result === 'created' && outcome.record) {
      await services.audit.record({
        actor: { keyId: null, label: 'bootstrap', role: 'system', province: null },
        action: 'staff_key.bootstrap',
        target: { type: 'staff_key', id: outcome.record.id },
        details: { role: 'admin', province: null, label: outcome.record.label },
        ip: null,
        userAgent: null,
      });
    }
    // The outcome only, never the key.
    const log = outcome.result === 'key_revoked' ? logger.warn.bind(logger) : logger.info.bind(logger);
    log({ event: 'admin_bootstrap', result: outcome.result }, outcome.result === 'key_revoked' ? 'ADMIN_BOOTSTRAP_KEY was revoked and is not restored; set a new value' : 'admin bootstrap checked');
  } catch (err) {
    logger.error({ event: 'admin_bootstrap_failed', err: (err as Error).message }, 'admin API preparation failed');
    throw err;
  }
}
