import { z } from 'zod';
import { errorMessage } from '../../errors.js';
import { ApiError } from './admin-errors.js';
import type { AdminRouteModule } from './route-module.js';
import type { ZaloTemplateDoc } from '../../db/models/zalo-template.js';
import { NOTICE_KINDS, type NoticeKind } from '../../vocabulary/notices.js';

/** What these routes need of the Zalo channel's template registry (src/channels/zalo/template-registry.ts). */
export interface TemplateCatalog {
  list(): Promise<TemplateRow[]>;
  sync(): Promise<{ templates: number; enabled: number; gone: number }>;
  quota(): Promise<{ daily: number; remaining: number }>;
}

/** What these routes need of the notice-to-template mappings (src/channels/zalo/notice-templates.ts). */
export interface NoticeCatalog {
  list(): Promise<
    {
      kind: NoticeKind;
      fields: readonly string[];
      templateId: string | null;
      bindings: Record<string, string>;
      template: { id: string; name: string; status: string; gone: boolean } | null;
      usable: boolean;
      updatedBy: string | null;
      updatedAt: Date | null;
    }[]
  >;
  set(kind: NoticeKind, templateId: string, bindings: Record<string, string>, actor: string): Promise<{ code: string; field: string; message: string }[]>;
  remove(kind: NoticeKind): Promise<boolean>;
}

/** A template as the registry lists it: the stored document with its id. */
type TemplateRow = Omit<ZaloTemplateDoc, '_id'> & { id: string };

const templateView = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string().describe('As Zalo says: ENABLE (approved, usable), PENDING_REVIEW, REJECT, DISABLE'),
  params: z.array(z.object({ name: z.string(), required: z.boolean(), type: z.string(), minLength: z.number(), maxLength: z.number(), acceptNull: z.boolean() })),
  tag: z.string().nullable().describe('Transaction, customer care or promotion'),
  price: z.number().nullable().describe('VND per message sent by phone number'),
  priceByUid: z.number().nullable().describe('VND per message sent by Zalo user id, when Zalo prices it apart'),
  previewUrl: z.string().nullable(),
  gone: z.boolean().describe('Zalo no longer lists it'),
  syncedAt: z.string(),
});

/** A call to Zalo: its failure is Zalo's, answered 502 with what Zalo said (never a token: the client's messages hold none). */
async function fromZalo<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new ApiError(502, 'zalo_unavailable', `Zalo: ${errorMessage(err)}`);
  }
}

/**
 * Zalo template messages (ZBS): the templates Zalo approved for the OA, read
 * into the database by a sync, and today's sending quota.
 */
const noticeView = z.object({
  kind: z.enum(NOTICE_KINDS as [NoticeKind, ...NoticeKind[]]),
  fields: z.array(z.string()).describe('What the notice offers to fill template parameters with'),
  templateId: z.string().nullable(),
  bindings: z.record(z.string(), z.string()).describe('Template parameter → notice field'),
  template: z.object({ id: z.string(), name: z.string(), status: z.string(), gone: z.boolean() }).nullable(),
  usable: z.boolean().describe('Mapped to a template Zalo has approved and still lists'),
  updatedBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
const kindParams = z.strictObject({ kind: z.enum(NOTICE_KINDS as [NoticeKind, ...NoticeKind[]]) });

export const zaloTemplatesAdminRoutes = (catalog: TemplateCatalog, notices: NoticeCatalog): AdminRouteModule => ({
  tag: {
    name: 'Zalo templates',
    description:
      'Template messages reach a Zalo user outside the 7-day window: by Zalo user id, or by phone number for people who never followed the OA. Zalo approves each template; a sync reads them, with their parameters and limits, so notices can be mapped to them.',
  },
  register(api) {
    api.read(
      {
        path: '/zalo/templates',
        summary: "The OA's template messages, as last synced from Zalo",
        roles: ['broadcaster', 'viewer'],
        response: { description: 'Usable ones first', schema: z.object({ items: z.array(templateView) }) },
      },
      async () => ({ items: (await catalog.list()).map((t) => ({ ...t, syncedAt: t.syncedAt.toISOString() })) }),
    );
    api.write(
      {
        method: 'post',
        path: '/zalo/templates/sync',
        summary: 'Read the templates again from Zalo',
        roles: ['broadcaster'],
        response: { status: 200, description: 'How many templates Zalo lists, how many are approved, how many it no longer lists', schema: z.object({ templates: z.number(), enabled: z.number(), gone: z.number() }) },
        errors: { 502: 'Zalo refused or did not answer (`zalo_unavailable`)' },
        audit: { action: 'zalo_templates.sync', targetType: 'zalo_template' },
      },
      async () => {
        const result = await fromZalo(() => catalog.sync());
        return { body: result, audit: { targetId: null, details: { ...result } } };
      },
    );
    api.read(
      {
        path: '/zalo/quota',
        summary: "Today's template-message quota of the OA",
        roles: ['broadcaster', 'viewer'],
        response: { description: 'Zalo sets it per day and moves it with message quality', schema: z.object({ daily: z.number(), remaining: z.number() }) },
        errors: { 502: 'Zalo refused or did not answer (`zalo_unavailable`)' },
      },
      () => fromZalo(() => catalog.quota()),
    );
    const mappings = async () =>
      (await notices.list()).map((m) => ({ ...m, updatedAt: m.updatedAt?.toISOString() ?? null }));
    api.read(
      {
        path: '/zalo/notice-templates',
        summary: 'Which template carries each kind of notice beyond the 7-day window',
        roles: ['broadcaster', 'viewer'],
        response: { description: 'Every notice kind, mapped or not', schema: z.object({ items: z.array(noticeView) }) },
      },
      async () => ({ items: await mappings() }),
    );
    api.write(
      {
        method: 'put',
        path: '/zalo/notice-templates/:kind',
        summary: 'Map a kind of notice to an approved template, binding each parameter to a field of the notice',
        roles: [],
        params: kindParams,
        body: z.strictObject({ templateId: z.string().min(1).max(40), bindings: z.record(z.string().max(60), z.string().max(40)) }),
        response: { status: 200, description: 'The mapping', schema: noticeView },
        errors: { 400: 'The template is unknown or not approved, a parameter is left unbound, or a field is not one of the notice (`template_mapping_invalid`, naming `field`)' },
        audit: { action: 'zalo_notice_template.set', targetType: 'zalo_notice_template' },
      },
      async ({ params, body, staff }) => {
        const [problem] = await notices.set(params.kind, body.templateId, body.bindings, staff.keyId);
        if (problem) throw new ApiError(400, 'template_mapping_invalid', problem.message, { field: problem.field });
        const view = (await mappings()).find((m) => m.kind === params.kind)!;
        return { body: view, audit: { targetId: params.kind, details: { templateId: body.templateId } } };
      },
    );
    api.write(
      {
        method: 'delete',
        path: '/zalo/notice-templates/:kind',
        summary: 'Stop sending a kind of notice by template (beyond the window it is then recorded undeliverable)',
        roles: [],
        params: kindParams,
        response: { status: 204, description: 'Unmapped' },
        audit: { action: 'zalo_notice_template.remove', targetType: 'zalo_notice_template' },
      },
      async ({ params }) => {
        const removed = await notices.remove(params.kind);
        return { audit: { targetId: params.kind, details: { removed } } };
      },
    );
  },
});
