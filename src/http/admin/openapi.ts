import { z } from 'zod';

/** A JSON Schema (2020-12, the dialect OpenAPI 3.1 uses). */
export type JsonSchema = { [keyword: string]: unknown };

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface OpenApiResponse {
  description: string;
  content?: Record<string, { schema: JsonSchema }>;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Roles allowed to call the operation; an empty `security` marks a public one. */
  'x-roles'?: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: OpenApiParameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, OpenApiResponse>;
}

export type OpenApiPaths = Record<string, Partial<Record<HttpMethod, OpenApiOperation>>>;

export interface OpenApiTag {
  name: string;
  description: string;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string }>;
  tags: OpenApiTag[];
  paths: OpenApiPaths;
  components: {
    securitySchemes: Record<string, { type: 'http'; scheme: 'bearer'; description: string }>;
    schemas: Record<string, JsonSchema>;
  };
}

export const ERROR_SCHEMA_REF = '#/components/schemas/Error';

/** Formats that say it all; zod's accompanying regex only clutters the docs. */
const SELF_DESCRIBING_FORMATS = new Set(['date-time', 'date', 'email', 'uuid', 'uri']);

function tidy(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidy);
  if (typeof node !== 'object' || node === null) return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema') continue;
    out[key] = tidy(value);
  }
  if (typeof out.format === 'string' && SELF_DESCRIBING_FORMATS.has(out.format)) delete out.pattern;
  return out;
}

/**
 * JSON Schema of a zod schema: what a client sends (`input`: before defaults and
 * coercion) or receives (`output`). Built from the same schema that validates,
 * so the document cannot drift from the code.
 */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  return tidy(z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' })) as JsonSchema;
}

/** One parameter per property of an object schema (query strings and path segments are flat). */
export function parametersOf(schema: z.ZodObject, where: 'path' | 'query'): OpenApiParameter[] {
  const json = jsonSchemaOf(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, propertySchema]) => {
    const { description, ...rest } = propertySchema;
    const parameter: OpenApiParameter = { name, in: where, required: where === 'path' || required.has(name), schema: rest };
    if (typeof description === 'string') parameter.description = description;
    return parameter;
  });
}

/** `/keys/:id` → `/keys/{id}`. */
export const openApiPath = (expressPath: string): string => expressPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

export const pathParamNames = (expressPath: string): string[] =>
  [...expressPath.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string);

/** Stable operation ids derived from method and path: `get /keys/:id` → `getKeysById`. */
export function operationIdOf(method: HttpMethod, expressPath: string): string {
  const words = expressPath
    .split('/')
    .filter(Boolean)
    .map((segment) => (segment.startsWith(':') ? `by-${segment.slice(1)}` : segment))
    .flatMap((segment) => segment.split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  return method + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

const errorSchema: JsonSchema = {
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', description: 'Stable machine-readable code, e.g. validation_failed, unauthorized, forbidden.' },
    message: { type: 'string', description: 'Human-readable explanation; may change.' },
    field: { type: 'string', description: 'The request field at fault (validation errors).' },
  },
  additionalProperties: false,
};

/** A documented error answer. */
export function errorResponse(description: string): OpenApiResponse {
  return { description, content: { 'application/json': { schema: { $ref: ERROR_SCHEMA_REF } } } };
}

/** The whole document from the operations the route registry recorded. */
export function buildOpenApiDocument(input: {
  version: string;
  tags: OpenApiTag[];
  operations: Array<{ method: HttpMethod; path: string; operation: OpenApiOperation }>;
}): OpenApiDocument {
  const paths: OpenApiPaths = {};
  for (const { method, path, operation } of input.operations) {
    // Never twice the same method and path: RouteRegistry.record refuses that when the route is added.
    (paths[path] ??= {})[method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Lương hưu bot — staff API',
      version: input.version,
      description:
        'JSON API for social-insurance office staff. Authenticate with `Authorization: Bearer lhb_…`. ' +
        'Roles: admin (everything), reviewer, broadcaster, viewer. A key limited to a province sees and changes only that province. ' +
        'Errors are `{ code, message, field? }` with a stable `code`. Every write is recorded in the audit log.',
    },
    servers: [{ url: '/admin/api' }],
    tags: input.tags,
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'A staff API key (`lhb_` + 43 characters), issued by an admin.' },
      },
      schemas: { Error: errorSchema },
    },
  };
}
