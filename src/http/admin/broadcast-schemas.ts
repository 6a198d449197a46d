import { z } from 'zod';
import { BENEFIT_TYPES } from '../../vocabulary/benefits.js';
import { BROADCAST_STATUSES, DELIVERY_STATES } from '../../vocabulary/broadcasts.js';
import { AUDIENCE_SOURCES, CHANNEL_NAMES } from '../../vocabulary/channels.js';
import type { BroadcastActor } from '../../broadcast/service.js';
import type { StaffIdentity } from '../../domain/staff-keys.js';
import { isoDate, objectId, provinceCode } from './validate.js';

/** What staff may write; the platforms' own limits (Zalo 2000 per message) are in GET /broadcasts/settings. */
export const LIMITS = { text: 3500, linkLabel: 40, title: 120, url: 500 } as const;

export const text = z.strictObject({
  text: z.string().trim().min(1, 'text must not be empty').max(LIMITS.text, `text is at most ${LIMITS.text} characters`),
  linkLabel: z.string().trim().min(1).max(LIMITS.linkLabel, `button label is at most ${LIMITS.linkLabel} characters`).optional(),
});

export const audience = z.strictObject({
  source: z
    .enum(AUDIENCE_SOURCES)
    .optional()
    .describe(
      '`chats` (default): the chats that talk to the bot. `register`: every beneficiary with a phone number in the provinces, districts and benefit types given, through their own chat when they have one, else a Zalo template to that phone (needs the Zalo OA and a template mapped to `broadcast`); platforms and languages do not apply',
    ),
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

export const createBody = z.strictObject({
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

export const wording = (max: number) =>
  z.strictObject({
    vi: z.string().trim().min(1, 'Vietnamese is required').max(max),
    en: z.string().trim().min(1).max(max).optional().describe('Missing: English speakers get the Vietnamese text'),
  });
export const templateBody = z.strictObject({
  title: wording(120).describe('For staff lists only; never sent'),
  text: wording(3500).describe('Named fields are written {{field_name}} (lowercase, digits, _), e.g. {{province_hotline}}; both languages use the same fields'),
});
export const templateUpdateBody = templateBody.extend({
  expectedVersion: z.number().int().min(1).optional().describe('The version the edit was made on; a newer one answers 409 template_conflict'),
});
export const wordingView = z.object({ vi: z.string(), en: z.string().optional() });
export const templateView = z.object({
  id: z.string(),
  version: z.number(),
  builtIn: z.boolean().describe('Built-in templates ship with the bot in both languages and cannot be edited'),
  fields: z.array(z.string()).describe('Named fields to fill, e.g. province_hotline'),
  title: wordingView,
  text: wordingView,
  updatedBy: z.string().nullable().describe('Id of the staff key that saved the current version'),
  updatedAt: isoDate.nullable(),
});

export const counts = z.object(Object.fromEntries(DELIVERY_STATES.map((s) => [s, z.number()])) as Record<(typeof DELIVERY_STATES)[number], z.ZodNumber>);
export const textView = z.object({ text: z.string(), linkLabel: z.string().optional() });
export const broadcastView = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(BROADCAST_STATUSES),
  content: z.object({ vi: textView, en: textView.optional() }),
  imageUrl: z.string().nullable(),
  linkUrl: z.string().nullable(),
  audience: z.object({
    source: z.enum(AUDIENCE_SOURCES).optional(),
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
  estimatedCost: z.number().nullable().describe('Đồng for Zalo template messages, estimated at submit'),
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
export const settingsView = z.object({
  approvalThreshold: z.number().describe('More recipients than this need approval'),
  costApprovalVnd: z.number().describe('Đồng: an estimated Zalo template cost above this needs approval (BROADCAST_COST_APPROVAL_VND)'),
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

export const draftText = z.strictObject({ text: z.string().max(LIMITS.text), linkLabel: z.string().max(LIMITS.linkLabel).optional() });
export const previewBody = z.strictObject({
  content: z.strictObject({ vi: draftText, en: draftText.optional() }),
  linkUrl: z.string().max(LIMITS.url).nullish(),
  imageUrl: z.string().max(LIMITS.url).nullish(),
  locale: z.enum(['vi', 'en']).default('vi'),
});
export const bubbleView = z.object({ photo: z.string().optional(), text: z.string(), button: z.object({ label: z.string(), url: z.string() }).optional() });
export const previewView = z.object({
  locale: z.enum(['vi', 'en']),
  channels: z.array(z.object({ channel: z.enum(CHANNEL_NAMES), enabled: z.boolean(), displayName: z.string().nullable(), bubbles: z.array(bubbleView) })),
  problems: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })),
});
export const idParams = z.strictObject({ id: objectId });
export const reportView = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(BROADCAST_STATUSES),
  final: z.boolean(),
  recipients: z.number(),
  counts,
  failureReasons: z.record(z.string(), z.number()).describe('e.g. { "outside_window": 12, "http_500": 1 }'),
  skipReasons: z.record(z.string(), z.number()).describe('e.g. { "unsubscribed": 3, "cancelled": 40 }'),
  deliveredByRoute: z.record(z.string(), z.number()).describe('Of the sent, how many the platform reported delivered to the phone (Zalo templates report it)'),
  sentByRoute: z.record(z.string(), z.number()).describe('e.g. { "message": 300, "template_uid": 500 }: a Zalo template reaches people beyond the 7-day window'),
  startedAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
  firstSentAt: isoDate.nullable(),
  lastSentAt: isoDate.nullable(),
  achievedRatePerSecond: z.number().nullable(),
  template: z.object({ id: z.string(), version: z.number() }).nullable(),
  cost: z
    .object({ estimated: z.number().nullable(), recorded: z.number().nullable() })
    .describe('Đồng for Zalo template messages: estimated at submit, and as sent (template sends by route × the same prices)'),
});

const routeCounts = z.object({
  message: z.number().describe('Every channel, and Zalo within 7 days of the person\'s last message: free'),
  zaloTemplate: z.number().describe('Zalo beyond the window: the template mapped to broadcasts, by Zalo user id'),
  zaloPhone: z.number().describe('People in the register without a chat: the template by the phone number the register holds'),
});

export const estimateView = z.object({
  recipients: z.number(),
  routes: routeCounts,
  template: z.object({ id: z.string(), name: z.string(), tag: z.string().nullable() }).nullable().describe('The Zalo template mapped to broadcasts; null when none is'),
  prices: z.object({ uid: z.number().nullable(), phone: z.number().nullable() }).nullable().describe('Đồng per template message (BROADCAST settings for the tag, else what Zalo states)'),
  cost: z.number().nullable().describe('Đồng for the template messages; null when a price is unknown'),
  quota: z.object({ daily: z.number(), remaining: z.number() }).nullable().describe("Zalo's daily template quota and today's remainder"),
  days: z.number().nullable().describe('Days the template messages take within the quota, today counted'),
  withoutTemplate: z.number().describe('Recipients only a template reaches while none is mapped: they would be listed undeliverable'),
  needsApproval: z.boolean().describe('More recipients than the approval threshold, or a cost above BROADCAST_COST_APPROVAL_VND (a link or ignoring quiet hours also needs approval)'),
});

export const actorOf = (staff: StaffIdentity): BroadcastActor => ({ keyId: staff.keyId, role: staff.role, province: staff.province });
