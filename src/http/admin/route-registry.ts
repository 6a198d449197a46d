import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import type { Logger } from '../../logger.js';
import type { AuditService } from '../../domain/audit.js';
import { staffOf } from './auth.js';
import { recordAudit } from './audit-middleware.js';
import { provinceScope, requireRole } from './roles.js';
import { parseBody, parseParams, parseQuery } from './validate.js';
import {
  errorResponse,
  jsonSchemaOf,
  openApiPath,
  operationIdOf,
  parametersOf,
  pathParamNames,
  type HttpMethod,
  type OpenApiOperation,
  type OpenApiResponse,
  type OpenApiTag,
} from './openapi.js';
import type { AdminApi, ReadRouteSpec, RouteInput, WriteResult, WriteRouteSpec } from './route-module.js';

/** One route as mounted on the router and described in the document. */
export interface RegisteredRoute {
  method: HttpMethod;
  /** Express syntax, relative to the router. */
  path: string;
  /** OpenAPI syntax (`{id}`). */
  openapiPath: string;
  operation: OpenApiOperation;
}

/** Documents a route that needs no key (the API's own documentation). */
export interface PublicRouteSpec {
  path: string;
  summary: string;
  description?: string;
  contentType: string;
  responseDescription: string;
}

const EMPTY = z.strictObject({});

const STANDARD_ERRORS: Record<number, string> = {
  400: 'Invalid input (`validation_failed`, naming `field`) or malformed JSON (`malformed_json`)',
  401: 'No, unknown or revoked API key (`unauthorized`)',
  403: "The key's role or province does not allow this (`forbidden`)",
  429: 'Too many failed authentications from this address (`too_many_attempts`)',
};

type AnyInput = RouteInput<unknown, unknown, unknown>;

/**
 * Mounts admin routes and records their OpenAPI operations in one step, so the
 * document lists exactly what the router serves.
 */
export class RouteRegistry {
  readonly routes: RegisteredRoute[] = [];
  readonly tags: OpenApiTag[] = [];

  constructor(
    private readonly router: Router,
    private readonly deps: { authenticate: RequestHandler; audit: AuditService; logger: Logger },
  ) {}

  /** The `AdminApi` a module registers through; its operations carry the module's tag. */
  apiFor(tag: OpenApiTag): AdminApi {
    this.addTag(tag);
    return {
      read: (spec, handler) => this.add('get', spec, undefined, tag, (input) => handler(input as never).then((body) => ({ body }))),
      write: (spec, handler) => this.add(spec.method, spec, spec, tag, (input) => handler(input as never)),
      compute: (spec, handler) =>
        this.add('post', { ...spec, response: { ...spec.response, status: spec.response.status ?? 200 } }, undefined, tag, (input) => handler(input as never).then((body) => ({ body })), spec.body),
    };
  }

  /** A GET route without authentication; the handler writes the response itself. */
  addPublic(tag: OpenApiTag, spec: PublicRouteSpec, handler: RequestHandler): void {
    this.addTag(tag);
    this.record('get', spec.path, {
      operationId: operationIdOf('get', spec.path),
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      tags: [tag.name],
      security: [],
      responses: { 200: { description: spec.responseDescription, content: { [spec.contentType]: { schema: {} } } } },
    });
    this.router.get(spec.path, handler);
  }

  private addTag(tag: OpenApiTag): void {
    if (!this.tags.some((t) => t.name === tag.name)) this.tags.push(tag);
  }

  private record(method: HttpMethod, path: string, operation: OpenApiOperation): void {
    const openapiPath = openApiPath(path);
    if (this.routes.some((r) => r.method === method && r.openapiPath === openapiPath)) {
      throw new Error(`admin route ${method.toUpperCase()} ${path} is registered twice`);
    }
    this.routes.push({ method, path, openapiPath, operation });
  }

  private add(
    method: HttpMethod,
    spec: ReadRouteSpec<z.ZodObject, z.ZodObject>,
    write: WriteRouteSpec<z.ZodObject, z.ZodObject, z.ZodType> | undefined,
    tag: OpenApiTag,
    run: (input: AnyInput) => Promise<{ body?: unknown; audit?: WriteResult['audit'] }>,
    bodySchema: z.ZodType | undefined = write?.body,
  ): void {
    const paramsSchema = spec.params ?? EMPTY;
    const querySchema = spec.query ?? EMPTY;
    const declared = Object.keys(paramsSchema.shape).sort().join(',');
    const inPath = pathParamNames(spec.path).sort().join(',');
    if (declared !== inPath) {
      throw new Error(`admin route ${spec.path}: params schema declares [${declared}] but the path has [${inPath}]`);
    }
    const status = spec.response.status ?? (method === 'post' ? 201 : 200);

    this.record(method, spec.path, this.describe(method, spec, bodySchema, tag, status));

    const handler = async (req: Request, res: Response): Promise<void> => {
      const staff = staffOf(res);
      const input: AnyInput = {
        params: parseParams(paramsSchema, req.params),
        query: parseQuery(querySchema, req.query),
        body: bodySchema ? parseBody(bodySchema, req.body) : undefined,
        staff,
        scope: (requested) => provinceScope(staff, requested),
        req,
        res,
      };
      const result = await run(input);
      if (write) {
        if (!result.audit) throw new Error(`write route ${spec.path} returned no audit target`);
        await recordAudit(this.deps.audit, this.deps.logger, req, res, { ...write.audit, ...result.audit });
      }
      if (status === 204 || result.body === undefined) res.status(status).end();
      else res.status(status).json(result.body);
    };
    this.router[method](spec.path, this.deps.authenticate, requireRole(...spec.roles), ...(spec.middleware ?? []), handler);
  }

  private describe(
    method: HttpMethod,
    spec: ReadRouteSpec<z.ZodObject, z.ZodObject>,
    body: z.ZodType | undefined,
    tag: OpenApiTag,
    status: number,
  ): OpenApiOperation {
    const roles = ['admin', ...spec.roles.filter((r) => r !== 'admin')];
    const success: OpenApiResponse = { description: spec.response.description };
    if (spec.response.schema) success.content = { 'application/json': { schema: jsonSchemaOf(spec.response.schema, 'output') } };
    const responses: Record<string, OpenApiResponse> = { [status]: success };
    for (const [code, description] of Object.entries({ ...STANDARD_ERRORS, ...spec.errors })) {
      responses[code] = errorResponse(description);
    }
    const parameters = [
      ...parametersOf(spec.params ?? EMPTY, 'path'),
      ...parametersOf(spec.query ?? EMPTY, 'query'),
    ];
    return {
      operationId: operationIdOf(method, spec.path),
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      tags: [tag.name],
      'x-roles': roles,
      security: [{ bearerAuth: [] }],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(body, 'input') } } } } : {}),
      responses,
    };
  }
}
