import { z } from 'zod';
import type { BroadcastService, BroadcastView } from '../../broadcast/service.js';
import type { TemplateStore } from '../../broadcast/template-store.js';
import type { StaffIdentity } from '../../domain/staff-keys.js';
import type { AdminApi, AdminContext, AdminRouteModule } from './route-module.js';
import { actorOf, broadcastView, createBody, idParams, reportView } from './broadcast-schemas.js';
import { registerDraftingRoutes, type BroadcastSettingsSource } from './broadcast-drafting-routes.js';
import { registerTemplateRoutes } from './broadcast-template-routes.js';
import { provinceCode } from './validate.js';
import { writeCsv } from './csv-answer.js';

export type { BroadcastSettingsSource } from './broadcast-drafting-routes.js';

/** The staff keys a broadcast names (createdBy, approvedBy, …). */
const staffIds = (view: BroadcastView): string[] =>
  [view.createdBy, view.submittedBy, view.approvedBy, view.rejectedBy, view.cancelledBy].filter((id): id is string => id !== null);

/** A broadcast as the caller sees it: staff labels instead of bare key ids (from `labels`), and whether it is the caller's own. */
function forCaller(view: BroadcastView, staff: StaffIdentity, labels: Map<string, string>): BroadcastView & { staffLabels: Record<string, string>; yours: boolean } {
  const staffLabels: Record<string, string> = {};
  for (const id of staffIds(view)) {
    const label = labels.get(id);
    if (label) staffLabels[id] = label;
  }
  return { ...view, staffLabels, yours: view.createdBy === staff.keyId || view.submittedBy === staff.keyId };
}

/** A broadcast's life: list, create, read, report, submit, approve, cancel, reject. */
function registerLifecycleRoutes(api: AdminApi, ctx: AdminContext, broadcast: BroadcastService): void {
  const keys = ctx.services.staffKeys;
  const shown = async (view: BroadcastView, staff: StaffIdentity) => forCaller(view, staff, await keys.labels(staffIds(view)));
  api.read(
    {
      path: '/broadcasts',
      summary: 'List broadcasts',
      roles: ['broadcaster', 'viewer'],
      query: z.strictObject({ province: provinceCode.optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
      response: { description: 'Newest first', schema: z.object({ items: z.array(broadcastView) }) },
    },
    async ({ query, scope, staff }) => {
      const items = await broadcast.list(scope(query.province), query.limit);
      const labels = await keys.labels(items.flatMap(staffIds));
      return { items: items.map((view) => forCaller(view, staff, labels)) };
    },
  );
  api.write(
    {
      method: 'post',
      path: '/broadcasts',
      summary: 'Create a draft broadcast',
      roles: ['broadcaster'],
      body: createBody,
      response: { description: 'The draft', schema: broadcastView },
      errors: { 400: 'Link not https, not on an allowed domain (`link_not_allowed`), or written in the text (`link_in_text`)' },
      audit: { action: 'broadcast.create', targetType: 'broadcast' },
    },
    async ({ body, staff }) => {
      const view = await (async () => {
        const filled = body.template ? await broadcast.fromTemplate(body.template.id, body.template.fields, body.template.version) : undefined;
        const content = filled?.content ?? body.content!;
        if (filled && body.linkLabel) {
          content.vi.linkLabel = body.linkLabel;
          if (content.en) content.en.linkLabel = body.linkLabel;
        }
        return broadcast.create(
          {
            title: body.title,
            content,
            ...(filled ? { template: filled.template } : {}),
            ...(body.imageUrl ? { imageUrl: body.imageUrl } : {}),
            ...(body.linkUrl ? { linkUrl: body.linkUrl } : {}),
            audience: body.audience,
            sendAt: body.sendAt ? new Date(body.sendAt) : null,
            ignoreQuietHours: body.ignoreQuietHours ?? false,
          },
          actorOf(staff),
        );
      })();
      const details = { hasLink: view.linkUrl !== null, hasImage: view.imageUrl !== null, templateId: view.template?.id ?? null, templateVersion: view.template?.version ?? null };
      return { body: await shown(view, staff), audit: { targetId: view.id, details } };
    },
  );
  api.read(
    {
      path: '/broadcasts/:id',
      summary: 'A broadcast with its progress',
      roles: ['broadcaster', 'viewer'],
      params: idParams,
      response: { description: 'Counts per delivery state, rate and ETA', schema: broadcastView },
      errors: { 404: 'No such broadcast in your province' },
    },
    async ({ params, scope, staff }) => shown(await broadcast.get(params.id, scope()), staff),
  );
  api.read(
    {
      path: '/broadcasts/:id/undeliverable.csv',
      summary: 'The people a broadcast did not reach, for the office',
      description:
        'Failed and blocked deliveries with the reason (outside_window, not_on_zalo, no_phone_in_register, blocked, …) and, for a beneficiary\'s own chat, the BHXH code, name, district and commune: to reach them by letter or at their next visit. UTF-8 with a byte-order mark.',
      roles: ['broadcaster', 'viewer'],
      params: idParams,
      response: { description: 'text/csv; charset=utf-8' },
      errors: { 404: 'No such broadcast in your province' },
    },
    async ({ params, scope, res }) => {
      const rows = await broadcast.undeliverable(params.id, scope());
      await writeCsv(
        res,
        `undeliverable-${params.id}.csv`,
        ['channel', 'chat_id', 'reason', 'bhxh_code', 'full_name', 'district_code', 'commune_code'],
        rows.map((r) => [r.channel, r.chatId, r.reason, r.bhxhCode, r.fullName, r.districtCode, r.communeCode]),
      );
      return undefined;
    },
  );
  api.read(
    {
      path: '/broadcasts/:id/report',
      summary: 'Final report of a broadcast',
      roles: ['broadcaster', 'viewer'],
      params: idParams,
      response: {
        description: 'Recipients per final state, failures and skips per reason, first and last send time, achieved rate (sends per second between them). `final` is false while deliveries may still change.',
        schema: reportView,
      },
      errors: { 404: 'No such broadcast in your province' },
    },
    async ({ params, scope }) => broadcast.report(params.id, scope()),
  );
  const action = (name: 'submit' | 'approve' | 'cancel', summary: string, roles: ('broadcaster')[]) =>
    api.write(
      {
        method: 'post',
        path: `/broadcasts/:id/${name}`,
        summary,
        roles,
        params: idParams,
        response: { status: 200, description: 'The broadcast after the change', schema: broadcastView },
        errors: { 404: 'No such broadcast in your province', 409: 'Not in a state that allows this (`invalid_state`)' },
        audit: { action: `broadcast.${name}`, targetType: 'broadcast' },
      },
      async ({ params, staff }) => {
        const view = await broadcast[name](params.id, actorOf(staff));
        return { body: await shown(view, staff), audit: { targetId: view.id, details: { status: view.status, estimatedRecipients: view.estimatedRecipients } } };
      },
    );
  action('submit', 'Submit a draft for sending (or for approval)', ['broadcaster']);
  action('approve', 'Approve a broadcast (admin key other than its author; four-eyes rule)', []);
  action('cancel', 'Cancel: nothing more is sent, waiting deliveries end skipped', ['broadcaster']);
  api.write(
    {
      method: 'post',
      path: '/broadcasts/:id/reject',
      summary: 'Reject a broadcast waiting for approval (admin key other than its author)',
      roles: [],
      params: idParams,
      body: z.strictObject({ reason: z.string().trim().min(1, 'give a reason').max(500) }),
      response: { status: 200, description: 'The broadcast, now rejected; the reason is shown to its author', schema: broadcastView },
      errors: { 403: 'Its author or submitter (`four_eyes`): they cancel it instead', 404: 'No such broadcast in your province', 409: 'Not waiting for approval (`invalid_state`)' },
      audit: { action: 'broadcast.reject', targetType: 'broadcast' },
    },
    async ({ params, body, staff }) => {
      const view = await broadcast.reject(params.id, actorOf(staff), body.reason);
      return { body: await shown(view, staff), audit: { targetId: view.id, details: { status: view.status } } };
    },
  );
}

/**
 * Staff broadcasts: `broadcaster` keys write and submit, a second `admin` key
 * approves large or linked ones; everything is audited. Fixed paths
 * (/broadcasts/settings, /broadcasts/preview) are registered before /broadcasts/:id.
 */
export const broadcastsAdminRoutes = (broadcast: BroadcastService, templates: TemplateStore, settings: BroadcastSettingsSource): AdminRouteModule => ({
  tag: {
    name: 'Broadcasts',
    description:
      'Notices to subscribers on Telegram, Zalo and the simulator. A draft is submitted; one reaching more recipients than the approval threshold, carrying a link, or ignoring quiet hours waits for approval by a different admin key. Links must be on the allowed domains. Sending is paced per platform and postponed during quiet hours (Zalo: never between 22:00 and 06:00 Vietnam time); progress shows counts per delivery state, rate and ETA, and a final report counts failures per reason. Templates with named fields ({{province_hotline}}) are versioned: an edit saves a new version and each broadcast records the one it used.',
  },
  register(api, ctx) {
    registerDraftingRoutes(api, broadcast, settings);
    registerTemplateRoutes(api, templates);
    registerLifecycleRoutes(api, ctx, broadcast);
  },
});
