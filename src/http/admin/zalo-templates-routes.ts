import { z } from 'zod';
import { errorMessage } from '../../errors.js';
import { ApiError } from './admin-errors.js';
import type { AdminRouteModule } from './route-module.js';

/** What these routes need of the Zalo channel's template registry (src/channels/zalo/template-registry.ts). */
export interface TemplateCatalog {
  list(): Promise<TemplateRow[]>;
  sync(): Promise<{ templates: number; enabled: number; gone: number }>;
  quota(): Promise<{ daily: number; remaining: number }>;
}

interface TemplateRow {
  id: string;
  name: string;
  status: string;
  params: { name: string; required: boolean; type: string; minLength: number; maxLength: number; acceptNull: boolean }[];
  tag: string | null;
  price: number | null;
  priceByUid: number | null;
  previewUrl: string | null;
  gone: boolean;
  syncedAt: Date;
}

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
export const zaloTemplatesAdminRoutes = (catalog: TemplateCatalog): AdminRouteModule => ({
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
  },
});
