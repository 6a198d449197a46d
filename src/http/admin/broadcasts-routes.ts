import { z } from 'zod';
import { BENEFIT_TYPES } from '../../db/models/beneficiary.js';
import { BROADCAST_STATUSES } from '../../db/models/broadcast.js';
import { DELIVERY_STATES } from '../../db/models/delivery.js';
import type { BroadcastActor, BroadcastService, BroadcastView } from '../../broadcast/service.js';
import type { TemplateStore } from '../../broadcast/template-store.js';
import { limitsFor, type BroadcastConfig } from '../../broadcast/config.js';
import { contentProblems } from '../../broadcast/links.js';
import { messageFor } from '../../broadcast/message.js';
import { previewOf, type ChannelLimits, type ChannelRenderer, type ChannelSender } from '../../messaging/channel.js';
import { CHANNEL_NAMES, type ChannelName } from '../../messaging/types.js';
import type { StaffIdentity } from '../../domain/staff-keys.js';
import type { AdminRouteModule } from './route-module.js';
import { isoDate, objectId, provinceCode } from './validate.js';


/** What staff may write; the platforms' own limits (Zalo 2000 per message) are in GET /broadcasts/settings. */
const LIMITS = { text: 3500, linkLabel: 40, title: 120, url: 500 } as const;

const text = z.strictObject({
  text: z.string().trim().min(1, 'text must not be empty').max(LIMITS.text, `text is at most ${LIMITS.text} characters`),
  linkLabel: z.string().trim().min(1).max(LIMITS.linkLabel, `button label is at most ${LIMITS.linkLabel} characters`).optional(),
});

const audience = z.strictObject({
  platforms: z.array(z.enum(CHANNEL_NAMES)).max(CHANNEL_NAMES.length).optional().describe('Empty or missing: every platform'),
  provinces: z.array(provinceCode).max(63).optional().describe('Chats linked to a beneficiary of these provinces'),
  languages: z.array(z.enum(['vi', 'en'])).max(2).optional(),
  linkedOnly: z.boolean().optional().describe('Only chats linked to a beneficiary (implied by provinces and benefitTypes)'),
  benefitTypes: z.array(z.enum(BENEFIT_TYPES)).max(BENEFIT_TYPES.length).optional(),
  districts: z
    .array(z.string().regex(/^\d{3}$/, 'a district code is 3 digits'))
    .max(100)
    .optional()
    .describe('Chats linked to a beneficiary of these districts (3-digit codes)'),
});

const createBody = z.strictObject({
  title: z.string().trim().min(1).max(120).describe('For staff lists only; never sent'),
  content: z.strictObject({ vi: text, en: text.optional().describe('Missing: English speakers get the Vietnamese text') }).optional().describe('Required unless template is given'),
  template: z
    .strictObject({
      id: z.string().max(40),
      version: z.number().int().min(1).optional().describe('Missing: the current version'),
      fields: z.record(z.string().regex(/^[a-z_][a-z0-9_]*$/), z.string().max(200)).default({}),
    })
    .optional()
    .describe('Use a template (see GET /broadcast-templates) instead of content; the broadcast records its id and version'),
  linkLabel: z.string().trim().min(1).max(40).optional().describe('Button label when a template is used with linkUrl'),
  imageUrl: z.url().max(500).optional(),
  linkUrl: z.url().max(500).optional().describe('One link button; https on an allowed domain; needs approval'),
  audience: audience.default({}),
  sendAt: z.iso.datetime({ offset: true }).optional().describe('Start time (ISO 8601, e.g. 2026-05-01T08:00:00+07:00); missing: when approved'),
  ignoreQuietHours: z.boolean().optional().describe('Send even between 21:00 and 07:00 (needs approval)'),
}).refine((b) => (b.content === undefined) !== (b.template === undefined), { message: 'give either content or template', path: ['content'] });

const wording = (max: number) =>
  z.strictObject({
    vi: z.string().trim().min(1, 'Vietnamese is required').max(max),
    en: z.string().trim().min(1).max(max).optional().describe('Missing: English speakers get the Vietnamese text'),
  });
const templateBody = z.strictObject({
  title: wording(120).describe('For staff lists only; never sent'),
  text: wording(3500).describe('Named fields are written {{field_name}} (lowercase, digits, _), e.g. {{province_hotline}}; both languages use the same fields'),
});
const templateUpdateBody = templateBody.extend({
  expectedVersion: z.number().int().min(1).optional().describe('The version the edit was made on; a newer one answers 409 template_conflict'),
});
const wordingView = z.object({ vi: z.string(), en: z.string().optional() });
const templateView = z.object({
  id: z.string(),
  version: z.number(),
  builtIn: z.boolean().describe('Built-in templates ship with the bot in both languages and cannot be edited'),
  fields: z.array(z.string()).describe('Named fields to fill, e.g. province_hotline'),
  title: wordingView,
  text: wordingView,
  updatedBy: z.string().nullable().describe('Id of the staff key that saved the current version'),
  updatedAt: isoDate.nullable(),
});

const counts = z.object(Object.fromEntries(DELIVERY_STATES.map((s) => [s, z.number()])) as Record<(typeof DELIVERY_STATES)[number], z.ZodNumber>);
const textView = z.object({ text: z.string(), linkLabel: z.string().optional() });
const broadcastView = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(BROADCAST_STATUSES),
  content: z.object({ vi: textView, en: textView.optional() }),
  imageUrl: z.string().nullable(),
  linkUrl: z.string().nullable(),
  audience: z.object({
    platforms: z.array(z.string()),
    provinces: z.array(z.string()),
    languages: z.array(z.string()),
    linkedOnly: z.boolean(),
    benefitTypes: z.array(z.string()),
    districts: z.array(z.string()),
  }),
  sendAt: isoDate.nullable(),
  ignoreQuietHours: z.boolean(),
  needsApproval: z.boolean(),
  estimatedRecipients: z.number().nullable(),
  template: z.object({ id: z.string(), version: z.number() }).nullable().describe('The template and version the text was filled from'),
  createdBy: z.string().describe('Id of the staff key'),
  submittedBy: z.string().nullable(),
  approvedBy: z.string().nullable(),
  rejectedBy: z.string().nullable(),
  rejectionReason: z.string().nullable(),
  cancelledBy: z.string().nullable(),
  staffLabels: z.record(z.string(), z.string()).describe('Label of each staff key named above (createdBy, approvedBy, …), by key id'),
  yours: z.boolean().describe('Written or submitted by the calling key: its approval step belongs to someone else'),
  createdAt: isoDate,
  startedAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
  progress: z.object({
    queued: z.number(),
    queueComplete: z.boolean(),
    counts,
    total: z.number().describe('Recipients expected: those queued, or the estimate while queueing'),
    pending: z.number().describe('Recipients not final yet'),
    ratePerSecond: z.number(),
    etaSeconds: z.number().nullable(),
  }),
});
const settingsView = z.object({
  approvalThreshold: z.number().describe('More recipients than this need approval'),
  allowedLinkDomains: z.array(z.string()),
  quietHours: z.object({ start: z.string(), end: z.string() }).nullable(),
  platformNights: z.record(z.string(), z.object({ start: z.string(), end: z.string() })).describe('Platforms that never receive broadcasts in this window, whatever the settings'),
  timeZone: z.string(),
  platforms: z.array(z.object({ id: z.string(), name: z.string().nullable().describe("The bot's name on that platform, when known"), ratePerSecond: z.number() })),
  limits: z.object({
    text: z.number(),
    linkLabel: z.number(),
    title: z.number(),
    telegramText: z.number(),
    telegramCaption: z.number(),
    zaloText: z.number(),
    zaloButtonTitle: z.number(),
    zaloBotText: z.number(),
  }),
  channelLimits: z
    .record(z.string(), z.object({ text: z.number(), caption: z.number(), buttons: z.number(), buttonTitle: z.number() }))
    .describe("Each platform's message limits, from its channel"),
});

const draftText = z.strictObject({ text: z.string().max(LIMITS.text), linkLabel: z.string().max(LIMITS.linkLabel).optional() });
const previewBody = z.strictObject({
  content: z.strictObject({ vi: draftText, en: draftText.optional() }),
  linkUrl: z.string().max(LIMITS.url).nullish(),
  imageUrl: z.string().max(LIMITS.url).nullish(),
  locale: z.enum(['vi', 'en']).default('vi'),
});
const bubbleView = z.object({ photo: z.string().optional(), text: z.string(), button: z.object({ label: z.string(), url: z.string() }).optional() });
const previewView = z.object({
  locale: z.enum(['vi', 'en']),
  channels: z.array(z.object({ channel: z.enum(CHANNEL_NAMES), enabled: z.boolean(), displayName: z.string().nullable(), bubbles: z.array(bubbleView) })),
  problems: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })),
});
const idParams = z.strictObject({ id: objectId });
const reportView = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(BROADCAST_STATUSES),
  final: z.boolean(),
  recipients: z.number(),
  counts,
  failureReasons: z.record(z.string(), z.number()).describe('e.g. { "outside_window": 12, "http_500": 1 }'),
  skipReasons: z.record(z.string(), z.number()).describe('e.g. { "unsubscribed": 3, "cancelled": 40 }'),
  startedAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
  firstSentAt: isoDate.nullable(),
  lastSentAt: isoDate.nullable(),
  achievedRatePerSecond: z.number().nullable(),
  template: z.object({ id: z.string(), version: z.number() }).nullable(),
});

const actorOf = (staff: StaffIdentity): BroadcastActor => ({ keyId: staff.keyId, role: staff.role, province: staff.province });

/** What the settings and preview routes read: the configuration, the channels running here, and every channel's renderer. */
export interface BroadcastSettingsSource {
  config: BroadcastConfig;
  platforms: readonly ChannelSender[];
  renderers: readonly ChannelRenderer[];
}

/** A renderer's limits by channel name; the settings answer keeps its older flat keys for the console. */
function limitsOf(renderers: readonly ChannelRenderer[], name: ChannelName): ChannelLimits | undefined {
  return renderers.find((r) => r.name === name)?.limits;
}

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

/**
 * Staff broadcasts: `broadcaster` keys write and submit, a second `admin` key
 * approves large or linked ones; everything is audited.
 */
export const broadcastsAdminRoutes = (broadcast: BroadcastService, templates: TemplateStore, settings: BroadcastSettingsSource): AdminRouteModule => ({
  tag: {
    name: 'Broadcasts',
    description:
      'Notices to subscribers on Telegram, Zalo and the simulator. A draft is submitted; one reaching more recipients than the approval threshold, carrying a link, or ignoring quiet hours waits for approval by a different admin key. Links must be on the allowed domains. Sending is paced per platform and postponed during quiet hours (Zalo: never between 22:00 and 06:00 Vietnam time); progress shows counts per delivery state, rate and ETA, and a final report counts failures per reason. Templates with named fields ({{province_hotline}}) are versioned: an edit saves a new version and each broadcast records the one it used.',
  },
  register(api, ctx) {
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
    api.read(
      {
        path: '/broadcasts/settings',
        summary: 'Rules and limits a broadcast is written under',
        roles: ['broadcaster', 'viewer'],
        response: {
          description: 'Approval threshold, allowed link domains, quiet hours, the platforms this deployment sends to (with the bot name recipients see) and the text limits of each',
          schema: settingsView,
        },
      },
      async () => {
        const { config } = settings;
        const platforms = await Promise.all(
          settings.platforms.map(async (p) => ({
            id: p.name,
            name: (await p.displayName?.()) ?? null,
            ratePerSecond: limitsFor(config, p.name, p.limits).ratePerSecond,
          })),
        );
        const { renderers } = settings;
        const text = (name: ChannelName) => limitsOf(renderers, name)?.text ?? 0;
        return {
          approvalThreshold: config.approvalThreshold,
          allowedLinkDomains: config.allowedLinkDomains,
          quietHours: config.quietHours,
          platformNights: Object.fromEntries(renderers.flatMap((r) => (r.limits.night ? [[r.name, r.limits.night]] : []))),
          timeZone: config.timeZone,
          platforms,
          limits: {
            ...LIMITS,
            telegramText: text('telegram'),
            telegramCaption: limitsOf(renderers, 'telegram')?.caption ?? 0,
            zaloText: text('zalo'),
            zaloButtonTitle: limitsOf(renderers, 'zalo')?.buttonTitle ?? 0,
            zaloBotText: text('zalo-bot'),
          },
          channelLimits: Object.fromEntries(
            renderers.map(({ name, limits }) => [name, { text: limits.text, caption: limits.caption, buttons: limits.buttons, buttonTitle: limits.buttonTitle }]),
          ),
        };
      },
    );
    api.compute(
      {
        path: '/broadcasts/preview',
        summary: 'How a draft notice will look on each platform',
        description:
          "Renders the draft through each channel's own renderer (the one the sender uses), so the preview splits long texts, moves a long button label into the text and sends a photo apart exactly as the platform will. Drafts may be incomplete; `problems` lists what the create route would refuse about the links.",
        roles: ['broadcaster', 'viewer'],
        body: previewBody,
        response: { description: 'One list of chat bubbles per platform, and the problems found', schema: previewView },
      },
      async ({ body }) => {
        const message = messageFor({ content: body.content, imageUrl: body.imageUrl ?? undefined, linkUrl: body.linkUrl ?? undefined }, body.locale);
        const running = new Map(settings.platforms.map((p) => [p.name, p]));
        const channels = await Promise.all(
          settings.renderers.map(async (renderer) => ({
            channel: renderer.name,
            enabled: running.has(renderer.name),
            displayName: (await running.get(renderer.name)?.displayName?.()) ?? null,
            bubbles: message.text.trim() === '' && !message.photo ? [] : previewOf(renderer, message),
          })),
        );
        return { locale: body.locale, channels, problems: contentProblems(body, settings.config.allowedLinkDomains) };
      },
    );
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
    api.write(
      {
        method: 'post',
        path: '/broadcasts/estimate',
        summary: 'Estimate the audience of a filter',
        roles: ['broadcaster'],
        body: z.strictObject({ audience }),
        response: { status: 200, description: 'Subscribed chats the filter reaches now', schema: z.object({ recipients: z.number() }) },
        audit: { action: 'broadcast.estimate', targetType: 'broadcast' },
      },
      async ({ body, staff }) => {
        const filter = { ...body.audience };
        if (staff.province !== null) filter.provinces = [staff.province];
        const recipients = await broadcast.estimate(filter);
        return { body: { recipients }, audit: { targetId: null, details: { recipients } } };
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
  },
});
