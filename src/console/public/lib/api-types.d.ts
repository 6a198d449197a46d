/**
 * The JSON the console reads from the server, as the admin API documents it
 * (GET /admin/api/openapi.json; the zod views in src/http/admin/*-routes.ts):
 * the wire format, so dates are ISO strings where the server's views hold Dates.
 * tests/integration/console-api-types.test.ts checks every field named here
 * against the documented answers. Types only: nothing here is loaded by the browser.
 */

// The server's own words (src/vocabulary: leaf modules, type-only here), so a renamed status breaks the console's type check.
import type { BenefitType } from '../../../vocabulary/benefits.js';
import type { BroadcastStatus, DeliveryState } from '../../../vocabulary/broadcasts.js';
import type { ChannelName, Locale } from '../../../vocabulary/channels.js';
import type { FraudCategory, FraudStatus } from '../../../vocabulary/fraud.js';
import type { ImportKind, ImportStatus } from '../../../vocabulary/imports.js';
import type { LinkRole, LinkStatus, Relationship } from '../../../vocabulary/links.js';
import type { RequestStatus } from '../../../vocabulary/requests.js';
import type { StaffRole } from '../../../vocabulary/staff.js';

export type { BenefitType, BroadcastStatus, ChannelName, DeliveryState, FraudCategory, FraudStatus, ImportKind, ImportStatus, Locale, StaffRole };

/** ISO 8601 instant, as the API writes dates. */
export type IsoDate = string;

/** GET/POST /console/session. */
export interface Session {
  staff: StaffView;
  csrfToken: string;
  idleMinutes: number;
  /** Admin API operation id → whether this key may call it (src/http/admin/roles.ts `capabilitiesOf`). */
  can: Record<string, boolean>;
}

export interface StaffView {
  label: string;
  role: StaffRole;
  province: string | null;
}

/** GET /console/vocabulary.json: the server's lists the console offers as choices. */
export interface Vocabulary {
  benefitTypes: BenefitType[];
  /** Province names by 2-digit code. */
  provinces: Record<string, string>;
  fraudCategories: FraudCategory[];
  fraudStatuses: FraudStatus[];
  fraudNoteMax: number;
}

/** An error answer of the admin API. */
export interface ApiErrorBody {
  code?: string;
  message?: string;
  field?: string;
}

// ---------------------------------------------------------------- broadcasts

export interface BroadcastText {
  text: string;
  linkLabel?: string;
}

export interface BroadcastContent {
  vi: BroadcastText;
  en?: BroadcastText;
}

export type DeliveryCounts = Record<DeliveryState, number>;

export interface Audience {
  /** Missing on broadcasts written before the register audience existed: chats. */
  source?: 'chats' | 'register';
  platforms: ChannelName[];
  provinces: string[];
  languages: Locale[];
  linkedOnly: boolean;
  benefitTypes: BenefitType[];
  districts: string[];
}

export interface Broadcast {
  id: string;
  title: string;
  status: BroadcastStatus;
  content: BroadcastContent;
  imageUrl: string | null;
  linkUrl: string | null;
  audience: Audience;
  sendAt: IsoDate | null;
  ignoreQuietHours: boolean;
  needsApproval: boolean;
  estimatedRecipients: number | null;
  /** Đồng for Zalo template messages, estimated at submit. */
  estimatedCost: number | null;
  template: { id: string; version: number } | null;
  createdBy: string;
  submittedBy: string | null;
  approvedBy: string | null;
  rejectedBy: string | null;
  rejectionReason: string | null;
  cancelledBy: string | null;
  staffLabels: Record<string, string>;
  yours: boolean;
  createdAt: IsoDate;
  startedAt: IsoDate | null;
  finishedAt: IsoDate | null;
  progress: {
    queued: number;
    queueComplete: boolean;
    counts: DeliveryCounts;
    total: number;
    pending: number;
    ratePerSecond: number;
    etaSeconds: number | null;
  };
}

export interface BroadcastReport {
  id: string;
  title: string;
  status: BroadcastStatus;
  final: boolean;
  recipients: number;
  counts: DeliveryCounts;
  failureReasons: Record<string, number>;
  skipReasons: Record<string, number>;
  /** Sent deliveries by route (`message`, `template_uid`, `template_phone`), and of those the platform reported delivered. */
  sentByRoute: Record<string, number>;
  deliveredByRoute: Record<string, number>;
  /** Đồng for Zalo template messages, estimated at submit and as sent. */
  cost: { estimated: number | null; recorded: number | null };
  startedAt: IsoDate | null;
  finishedAt: IsoDate | null;
  firstSentAt: IsoDate | null;
  lastSentAt: IsoDate | null;
  achievedRatePerSecond: number | null;
}

export interface TimeWindow {
  start: string;
  end: string;
}

/** POST /broadcasts/estimate. */
export interface BroadcastEstimate {
  recipients: number;
  routes: { message: number; zaloTemplate: number; zaloPhone: number };
  template: { id: string; name: string; tag: string | null } | null;
  prices: { uid: number | null; phone: number | null } | null;
  cost: number | null;
  quota: { daily: number; remaining: number } | null;
  days: number | null;
  withoutTemplate: number;
  needsApproval: boolean;
}

/** GET /broadcasts/settings. */
export interface BroadcastSettings {
  approvalThreshold: number;
  /** Đồng: an estimated template cost above this needs a second admin. */
  costApprovalVnd: number;
  allowedLinkDomains: string[];
  quietHours: TimeWindow | null;
  platformNights: Record<string, TimeWindow>;
  timeZone: string;
  platforms: { id: ChannelName; name: string | null; ratePerSecond: number }[];
  limits: {
    text: number;
    linkLabel: number;
    title: number;
    zaloText: number;
    [platformLimit: string]: number;
  };
}

export interface BroadcastTemplate {
  id: string;
  version: number;
  builtIn: boolean;
  fields: string[];
  title: { vi: string; en?: string };
  text: { vi: string; en?: string };
}

/** The body of POST /broadcasts/preview: the message as it stands, drafts allowed. */
export interface PreviewRequest {
  content: BroadcastContent;
  linkUrl?: string | null;
  imageUrl?: string | null;
  locale?: Locale;
}

/** One message as a platform will show it. */
export interface PreviewBubble {
  photo?: string;
  text: string;
  button?: { label: string; url: string };
}

/** POST /broadcasts/preview: what each channel's own renderer makes of the message, and what the server would refuse. */
export interface Preview {
  locale: Locale;
  channels: { channel: ChannelName; enabled: boolean; displayName: string | null; bubbles: PreviewBubble[] }[];
  problems: { field: string; code: string; message: string }[];
}

// ---------------------------------------------------------------- reviews

export interface PaymentRequest {
  id: string;
  reference: string;
  status: RequestStatus;
  provinceCode: string;
  beneficiary: {
    id: string;
    fullName: string | null;
    bhxhCodeMasked: string | null;
    /** How the person is paid now. */
    currentMethod: { kind: string; bankName: string | null; accountMasked: string | null } | null;
  };
  method: {
    kind: string;
    bankBin: string | null;
    bankName: string | null;
    walletProvider: string | null;
    accountMasked: string | null;
    holderName: string | null;
    nameMatches: boolean | null;
    homeReason: string | null;
  };
  requestedBy: { channel: string; role: string };
  notMe: boolean;
  notMeAt: IsoDate | null;
  withinMinInterval: boolean;
  effectiveFromPeriod: string | null;
  coolingOffUntil: IsoDate | null;
  ifApprovedNow: { coolingOffUntil: IsoDate; effectiveFromPeriod: string } | null;
  reviewedAt: IsoDate | null;
  createdAt: IsoDate;
}

export interface RelativeLink {
  id: string;
  reference: string | null;
  status: LinkStatus;
  role: LinkRole;
  relationship: Relationship | null;
  channel: string;
  provinceCode: string;
  beneficiary: { id: string; bhxhCodeMasked: string; fullName: string } | null;
  document: { kind: string; number: string; issuedOn: string; issuer: string; expiresOn: string | null } | null;
  createdAt: IsoDate;
}

// ---------------------------------------------------------------- fraud

export interface FraudCase {
  caseNumber: string;
  category: FraudCategory;
  severity: 'urgent' | 'normal';
  status: FraudStatus;
  description: string;
  scammerContact: string | null;
  moneyLost: boolean;
  amountLost: number | null;
  photoCount: number;
  provinceCode: string | null;
  reporterChannel: string | null;
  reporterLocale: Locale;
  staffAlertedAt: IsoDate | null;
  createdAt: IsoDate;
  updatedAt: IsoDate;
}

export interface FraudCaseDetail extends FraudCase {
  notes: { at: IsoDate; by: string; text: string }[];
  nextStatuses: FraudStatus[];
  staffLabels: Record<string, string>;
}

// ---------------------------------------------------------------- imports

export interface ImportJob {
  id: string;
  kind: ImportKind;
  status: ImportStatus;
  total: number;
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  errors?: { row: number; column: string; code: string; messageVi: string; messageEn: string }[];
  failure: string | null;
  createdAt: IsoDate;
}

/** GET /imports/columns. */
export interface ImportColumns {
  kinds: { kind: ImportKind; columns: { name: string; required: boolean }[]; example: Record<string, string> }[];
  limits: { csvBytes: number; jsonBytes: number; jsonRows: number };
}

// ---------------------------------------------------------------- dashboard

export interface AdoptionFigure {
  total: number;
  cashless: number;
  rate: number | null;
  target: number | null;
}

/** GET /dashboard. */
export interface Dashboard {
  province: string | null;
  generatedAt: IsoDate;
  provinces: { code: string; name: string | null }[];
  adoption: {
    overall: AdoptionFigure;
    byProvince: (AdoptionFigure & { code: string })[];
    byDistrict: (AdoptionFigure & { code: string | null })[];
    byBenefitType: (AdoptionFigure & { benefitType: BenefitType })[];
  };
  pending: { requests: number; requestsFrozen: number; links: number };
  fraud: { since: IsoDate; total: number; byCategory: { category: FraudCategory; count: number }[] };
  broadcasts: { id: string; title: string; status: BroadcastStatus; createdAt: IsoDate; reach: { sent: number; blocked: number; failed: number; total: number }; templates: { sent: number; delivered: number } }[];
  subscribers: { platform: string; subscribed: number; blocked: number; unsubscribed: number; total: number }[];
}

/** GET /zalo/templates: one template message Zalo approved (or not) for the OA, as last synced. */
export interface ZaloTemplate {
  id: string;
  name: string;
  status: string;
  params: { name: string; required: boolean; type: string; minLength: number; maxLength: number; acceptNull: boolean }[];
  tag: string | null;
  price: number | null;
  priceByUid: number | null;
  previewUrl: string | null;
  gone: boolean;
  syncedAt: IsoDate;
}

/** GET /zalo/notice-templates: which template carries one kind of notice beyond Zalo's 7-day window. */
export interface NoticeMapping {
  kind: string;
  fields: string[];
  templateId: string | null;
  bindings: Record<string, string>;
  template: { id: string; name: string; status: string; gone: boolean } | null;
  usable: boolean;
  updatedBy: string | null;
  updatedAt: IsoDate | null;
}

/** GET /zalo/quota. */
export interface ZaloQuota {
  daily: number;
  remaining: number;
}
