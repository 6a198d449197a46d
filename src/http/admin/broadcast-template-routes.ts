import { z } from 'zod';
import type { TemplateStore } from '../../broadcast/template-store.js';
import type { AdminApi } from './route-module.js';
import { actorOf, templateBody, templateUpdateBody, templateView } from './broadcast-schemas.js';

/** Notice templates: built-in anti-fraud and payment notices, and staff templates saved in versions. */
export function registerTemplateRoutes(api: AdminApi, templates: TemplateStore): void {
  api.read(
    {
      path: '/broadcasts/templates',
      summary: 'Notice templates (same list as GET /broadcast-templates)',
      roles: ['broadcaster', 'viewer'],
      response: { description: 'Built-in anti-fraud and payment notices, then staff templates', schema: z.object({ items: z.array(templateView) }) },
    },
    async () => ({ items: await templates.list() }),
  );
  api.read(
    {
      path: '/broadcast-templates',
      summary: 'Notice templates',
      roles: ['broadcaster', 'viewer'],
      response: {
        description: 'Built-in anti-fraud and payment notices (Vietnamese and English), then templates written by staff, newest first, each at its current version',
        schema: z.object({ items: z.array(templateView) }),
      },
    },
    async () => ({ items: await templates.list() }),
  );
  api.write(
    {
      method: 'post',
      path: '/broadcast-templates',
      summary: 'Create a notice template',
      roles: ['broadcaster'],
      body: templateBody,
      response: { description: 'The template at version 1', schema: templateView },
      errors: { 400: 'Fields differ between languages, or a link is written in the text (`template_invalid`)' },
      audit: { action: 'broadcast_template.create', targetType: 'broadcast_template' },
    },
    async ({ body, staff }) => {
      const view = await templates.create(body, actorOf(staff));
      return { body: view, audit: { targetId: view.id, details: { version: view.version, fields: view.fields.join(',') } } };
    },
  );
  api.write(
    {
      method: 'put',
      path: '/broadcast-templates/:id',
      summary: 'Edit a notice template (saves a new version)',
      roles: ['broadcaster'],
      params: z.strictObject({ id: z.string().min(1).max(40) }),
      body: templateUpdateBody,
      response: { status: 200, description: 'The template at its new version; earlier versions stay usable by broadcasts that name them', schema: templateView },
      errors: {
        400: 'Invalid wording (`template_invalid`)',
        404: 'No such template (`not_found`)',
        409: 'A built-in template (`template_read_only`), or edited meanwhile (`template_conflict`)',
      },
      audit: { action: 'broadcast_template.update', targetType: 'broadcast_template' },
    },
    async ({ params, body, staff }) => {
      const { expectedVersion, ...input } = body;
      const view = await templates.update(params.id, input, actorOf(staff), expectedVersion);
      return { body: view, audit: { targetId: view.id, details: { version: view.version, fields: view.fields.join(',') } } };
    },
  );
}
