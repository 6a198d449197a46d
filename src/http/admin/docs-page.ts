import type { JsonSchema, OpenApiDocument, OpenApiOperation, OpenApiParameter } from './openapi.js';

/**
 * GET /admin/api/docs: the OpenAPI document rendered as plain HTML on the
 * server. No scripts and no CDN, so helmet's default CSP holds and the page
 * works on an office network without internet; styling comes from docs.css.
 */
export function renderDocsPage(doc: OpenApiDocument, basePath: string): string {
  const operations = collectOperations(doc);
  const sections = doc.tags
    .map((tag) => {
      const ops = operations.filter((o) => o.operation.tags.includes(tag.name));
      if (ops.length === 0) return '';
      return `<section class="tag" id="tag-${escapeHtml(slug(tag.name))}">
<h2>${escapeHtml(tag.name)}</h2>
<p>${inlineMarkdown(tag.description)}</p>
${ops.map((o) => renderOperation(o, basePath)).join('\n')}
</section>`;
    })
    .join('\n');
  const toc = doc.tags
    .map((tag) => {
      const ops = operations.filter((o) => o.operation.tags.includes(tag.name));
      if (ops.length === 0) return '';
      const items = ops
        .map(
          (o) =>
            `<li><a href="#${escapeHtml(o.operation.operationId)}"><span class="method ${o.method}">${o.method.toUpperCase()}</span> <code>${escapeHtml(basePath + o.path)}</code></a></li>`,
        )
        .join('');
      return `<li><a href="#tag-${escapeHtml(slug(tag.name))}">${escapeHtml(tag.name)}</a><ul>${items}</ul></li>`;
    })
    .join('');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.info.title)}</title>
<link rel="stylesheet" href="${escapeHtml(basePath)}/docs.css">
</head>
<body>
<header>
<h1>${escapeHtml(doc.info.title)}</h1>
<p class="meta">Version ${escapeHtml(doc.info.version)} · OpenAPI ${escapeHtml(doc.openapi)} · <a href="${escapeHtml(basePath)}/openapi.json">openapi.json</a></p>
<p>${inlineMarkdown(doc.info.description)}</p>
</header>
<nav><h2>Endpoints</h2><ul>${toc}</ul></nav>
<main>
${sections}
</main>
</body>
</html>
`;
}

interface Entry {
  method: string;
  path: string;
  operation: OpenApiOperation;
}

function collectOperations(doc: OpenApiDocument): Entry[] {
  const out: Entry[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (operation) out.push({ method, path, operation });
    }
  }
  return out;
}

function renderOperation({ method, path, operation }: Entry, basePath: string): string {
  const isPublic = operation.security !== undefined && operation.security.length === 0;
  const access = isPublic ? 'public, no key needed' : `roles: ${(operation['x-roles'] ?? []).join(', ')}`;
  const parts = [
    `<article class="op" id="${escapeHtml(operation.operationId)}">`,
    `<h3><span class="method ${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(basePath + path)}</code></h3>`,
    `<p class="summary">${escapeHtml(operation.summary)} <span class="access">${escapeHtml(access)}</span></p>`,
  ];
  if (operation.description) parts.push(`<p>${inlineMarkdown(operation.description)}</p>`);
  if (operation.parameters && operation.parameters.length > 0) parts.push(renderParameters(operation.parameters));
  const body = operation.requestBody?.content['application/json']?.schema;
  if (body) parts.push(`<h4>Request body <small>application/json</small></h4>`, renderSchema(body));
  parts.push('<h4>Responses</h4><dl class="responses">');
  for (const [status, response] of Object.entries(operation.responses)) {
    parts.push(`<dt class="status s${escapeHtml(status.charAt(0))}xx">${escapeHtml(status)}</dt><dd>${inlineMarkdown(response.description)}`);
    for (const [type, media] of Object.entries(response.content ?? {})) {
      if (media.schema.$ref) continue; // the shared error shape, explained once in the header
      if (Object.keys(media.schema).length === 0) parts.push(` <small>${escapeHtml(type)}</small>`);
      else parts.push(renderSchema(media.schema));
    }
    parts.push('</dd>');
  }
  parts.push('</dl></article>');
  return parts.join('\n');
}

function renderParameters(parameters: OpenApiParameter[]): string {
  const rows = parameters
    .map(
      (p) =>
        `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${p.in}</td><td>${p.required ? 'required' : 'optional'}</td><td>${escapeHtml(typeOf(p.schema))}</td><td>${p.description ? inlineMarkdown(p.description) : ''}</td></tr>`,
    )
    .join('');
  return `<h4>Parameters</h4><table><thead><tr><th>name</th><th>in</th><th></th><th>type</th><th>description</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Objects as nested property lists, everything else as one line of type. */
function renderSchema(schema: JsonSchema): string {
  const object = objectVariant(schema);
  if (!object) return `<p class="type"><code>${escapeHtml(typeOf(schema))}</code></p>`;
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object.required ?? []) as string[]);
  const items = Object.entries(properties).map(([name, property]) => {
    const nested = objectVariant(property) ?? arrayOfObject(property);
    const description = typeof property.description === 'string' ? ` — ${inlineMarkdown(property.description)}` : '';
    return `<li><code>${escapeHtml(name)}</code>${required.has(name) ? '' : '<span class="opt">optional</span>'} <span class="type">${escapeHtml(typeOf(property))}</span>${description}${nested ? renderSchema(nested) : ''}</li>`;
  });
  return `<ul class="schema">${items.join('')}</ul>`;
}

function objectVariant(schema: JsonSchema): JsonSchema | undefined {
  if (schema.type === 'object' || (Array.isArray(schema.type) && schema.type.includes('object'))) return schema;
  const variants = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  return variants?.find((v) => v.type === 'object');
}

function arrayOfObject(schema: JsonSchema): JsonSchema | undefined {
  return schema.type === 'array' && typeof schema.items === 'object' && schema.items !== null
    ? objectVariant(schema.items as JsonSchema)
    : undefined;
}

/** A compact, readable type: `"admin" | "reviewer"`, `string (date-time) | null`, `integer 1…200, default 50`. */
export function typeOf(schema: JsonSchema): string {
  const variants = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (variants) return variants.map(typeOf).join(' | ');
  if (schema.type === 'null') return 'null';
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : [];
  let base = types.filter((t) => t !== 'null').join(' | ') || 'any';
  if (base === 'array' && typeof schema.items === 'object' && schema.items !== null) base = `array of ${typeOf(schema.items as JsonSchema)}`;
  const notes: string[] = [];
  if (typeof schema.format === 'string') notes.push(schema.format);
  else if (typeof schema.pattern === 'string') notes.push(`pattern ${schema.pattern}`);
  const min = schema.minimum ?? schema.minLength;
  const max = schema.maximum ?? schema.maxLength;
  if (min !== undefined || max !== undefined) notes.push(`${String(min ?? '')}…${String(max ?? '')}${schema.minLength !== undefined || schema.maxLength !== undefined ? ' chars' : ''}`);
  if (schema.default !== undefined) notes.push(`default ${JSON.stringify(schema.default)}`);
  const withNotes = notes.length > 0 ? `${base} (${notes.join(', ')})` : base;
  return types.includes('null') ? `${withNotes} | null` : withNotes;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Descriptions use `code` spans only; everything else is escaped. */
function inlineMarkdown(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

const slug = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, '-');

/** Served as /admin/api/docs.css: a linked file keeps the page within helmet's CSP without nonces. */
export const DOCS_CSS = `
:root { color-scheme: light dark; --fg: #1d2330; --muted: #5b6475; --line: #d8dde6; --bg: #fff; --code: #f2f4f8; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e9ef; --muted: #9aa3b2; --line: #363c48; --bg: #16191f; --code: #222731; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { border-bottom: 1px solid var(--line); margin-bottom: 1rem; }
h1 { margin: 0 0 .25rem; font-size: 1.6rem; }
h2 { margin-top: 2rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { margin: 0 0 .25rem; font-size: 1.05rem; }
h4 { margin: .75rem 0 .25rem; font-size: .9rem; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
.meta, .access, small, .opt { color: var(--muted); }
.opt { font-size: .8em; margin-left: .4em; }
code { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--code); padding: .05em .3em; border-radius: 3px; }
nav ul { list-style: none; padding-left: 1rem; }
nav a { text-decoration: none; }
.op { border: 1px solid var(--line); border-radius: 6px; padding: .9rem 1rem; margin: 1rem 0; }
.method { display: inline-block; min-width: 4.2em; text-align: center; font: 600 12px/1.8 ui-monospace, monospace; color: #fff; border-radius: 3px; padding: 0 .4em; }
.method.get { background: #2f6fb3; } .method.post { background: #2e8540; } .method.put, .method.patch { background: #a86500; } .method.delete { background: #b3261e; }
.summary { margin: .25rem 0; }
.access { margin-left: .5rem; font-size: .85em; }
table { border-collapse: collapse; width: 100%; font-size: .9em; }
th, td { text-align: left; border-bottom: 1px solid var(--line); padding: .3rem .5rem; vertical-align: top; }
ul.schema { margin: .25rem 0; padding-left: 1.2rem; }
.type { color: var(--muted); }
dl.responses { display: grid; grid-template-columns: 4rem 1fr; gap: .2rem .75rem; margin: 0; }
dt.status { font: 600 13px/1.6 ui-monospace, monospace; }
dt.s2xx { color: #2e8540; } dt.s4xx, dt.s5xx { color: #b3261e; }
dd { margin: 0; }
`;
