import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';
import { FakeZalo } from '../support/fake-zalo.js';

/**
 * The console describes the admin API's JSON in src/console/public/lib/api-types.d.ts
 * (the wire format: ISO strings for dates, unlike the server's Date-typed views).
 * This keeps that description true: every field the console's types name must be
 * in the response schema the API documents (built from the routes' own zod views).
 */

const ADMIN_KEY = 'lhb_console-api-types-test-admin-key-00000000';

const source = ts.createSourceFile(
  'api-types.d.ts',
  readFileSync(join(import.meta.dirname, '..', '..', 'src', 'console', 'public', 'lib', 'api-types.d.ts'), 'utf8'),
  ts.ScriptTarget.Latest,
  true,
);

/** Interfaces and type aliases of the file, by name. */
const declarations = new Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>();
source.forEachChild((node) => {
  if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) declarations.set(node.name.text, node);
});

type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema>; items?: JsonSchema; anyOf?: JsonSchema[]; additionalProperties?: unknown };

/** The object (or array) schema behind a nullable one. */
function unwrap(schema: JsonSchema): JsonSchema {
  const branch = schema.anyOf?.find((s) => s.type !== 'null');
  return branch ? unwrap(branch) : schema;
}

/** Members of an interface, its parents included. */
function membersOf(node: ts.InterfaceDeclaration): ts.TypeElement[] {
  const inherited = (node.heritageClauses ?? []).flatMap((clause) =>
    clause.types.flatMap((t) => {
      const parent = declarations.get(t.expression.getText(source));
      return parent && ts.isInterfaceDeclaration(parent) ? membersOf(parent) : [];
    }),
  );
  return [...inherited, ...node.members];
}

/** Paths (`progress.counts`) the console names that the schema does not have. */
function missing(type: ts.TypeNode | undefined, schema: JsonSchema, path: string): string[] {
  if (!type) return [];
  const s = unwrap(schema);
  if (ts.isUnionTypeNode(type)) {
    const objectLike = type.types.filter((t) => !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword));
    return objectLike.length === 1 ? missing(objectLike[0], s, path) : [];
  }
  if (ts.isParenthesizedTypeNode(type)) return missing(type.type, s, path);
  if (ts.isArrayTypeNode(type)) return s.items ? missing(type.elementType, s.items, `${path}[]`) : [`${path}[]`];
  if (ts.isIntersectionTypeNode(type)) return type.types.flatMap((t) => missing(t, s, path));
  if (ts.isTypeReferenceNode(type)) {
    const target = declarations.get(type.typeName.getText(source));
    if (target && ts.isInterfaceDeclaration(target)) return fieldsMissing(membersOf(target), s, path);
    if (target && ts.isTypeAliasDeclaration(target)) return missing(target.type, s, path);
    return [];
  }
  if (ts.isTypeLiteralNode(type)) return fieldsMissing([...type.members], s, path);
  return [];
}

function fieldsMissing(members: ts.TypeElement[], schema: JsonSchema, path: string): string[] {
  const properties = schema.properties;
  // A record (`Record<string, number>`, an index signature) has no fixed names to compare.
  if (!properties) return [];
  return members.flatMap((member) => {
    if (!ts.isPropertySignature(member)) return [];
    const name = member.name.getText(source);
    const at = path ? `${path}.${name}` : name;
    const property = properties[name];
    return property ? missing(member.type, property, at) : [at];
  });
}

describe('the console\'s description of the admin API', () => {
  let app: TestApp;
  let zalo: FakeZalo;
  let paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }> }>>;

  beforeAll(async () => {
    // With a Zalo OA, so its routes are documented too.
    zalo = await FakeZalo.start();
    app = await startTestApp({ MONGODB_URI: testMongoUri(), ADMIN_BOOTSTRAP_KEY: ADMIN_KEY, ...zalo.env({ oa: true }) });
    paths = ((await (await fetch(`${app.url}/admin/api/openapi.json`)).json()) as { paths: typeof paths }).paths;
  });
  afterAll(async () => {
    await app?.stop();
    await zalo?.stop();
  });

  /** The JSON schema of an operation's success answer. */
  const answer = (method: string, path: string): JsonSchema => {
    const responses = paths[path]?.[method]?.responses ?? {};
    const ok = Object.entries(responses).find(([status]) => status.startsWith('2'))?.[1];
    const schema = ok?.content?.['application/json']?.schema;
    if (!schema) throw new Error(`no JSON answer documented for ${method.toUpperCase()} ${path}`);
    return schema;
  };

  const cases: [string, string, string, (s: JsonSchema) => JsonSchema][] = [
    ['Broadcast', 'get', '/broadcasts/{id}', (s) => s],
    ['BroadcastReport', 'get', '/broadcasts/{id}/report', (s) => s],
    ['BroadcastSettings', 'get', '/broadcasts/settings', (s) => s],
    ['BroadcastEstimate', 'post', '/broadcasts/estimate', (s) => s],
    ['BroadcastTemplate', 'get', '/broadcast-templates', (s) => s.properties!.items!.items!],
    ['Preview', 'post', '/broadcasts/preview', (s) => s],
    ['PaymentRequest', 'get', '/requests/{id}', (s) => s],
    ['RelativeLink', 'get', '/links/{id}', (s) => s],
    ['FraudCase', 'get', '/fraud-cases', (s) => s.properties!.items!.items!],
    ['FraudCaseDetail', 'get', '/fraud-cases/{caseNumber}', (s) => s],
    ['ImportJob', 'get', '/imports/{id}', (s) => s],
    ['ImportColumns', 'get', '/imports/columns', (s) => s],
    ['Dashboard', 'get', '/dashboard', (s) => s],
    ['ZaloTemplate', 'get', '/zalo/templates', (s) => s.properties!.items!.items!],
    ['NoticeMapping', 'get', '/zalo/notice-templates', (s) => s.properties!.items!.items!],
    ['ZaloQuota', 'get', '/zalo/quota', (s) => s],
  ];

  it.each(cases)('%s names only fields that %s %s answers', (name, method, path, pick) => {
    const declaration = declarations.get(name);
    if (!declaration || !ts.isInterfaceDeclaration(declaration)) throw new Error(`no interface ${name} in api-types.d.ts`);
    const schema = pick(answer(method, path));
    expect(Object.keys(schema.properties ?? {}).length).toBeGreaterThan(0);
    expect(fieldsMissing(membersOf(declaration), schema, '')).toEqual([]);
  });
});
