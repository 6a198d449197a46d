import type { BroadcastEnvSettings } from '../config.js';
import type { ChannelLimits } from '../messaging/channel.js';
import { parseDailyWindow } from '../domain/quiet-hours.js';

export type { BroadcastEnvSettings } from '../config.js';

/** Send limits of one platform. */
export interface PlatformLimits {
  /** Messages per second overall (Telegram: 30; paid broadcasts up to 1000). */
  ratePerSecond: number;
  /** Messages per second to one chat (Telegram: about 1). */
  perChatPerSecond: number;
}

/** Everything the broadcast feature can be tuned with; see DEFAULT_BROADCAST_CONFIG. */
export interface BroadcastConfig {
  /** Overrides of a channel's own pace (ChannelLimits), from the environment. */
  limits: Record<string, PlatformLimits>;
  /** Limits for a platform that is neither configured here nor running. */
  defaultLimits: PlatformLimits;
  /** Extra wait after a rate window, so network jitter cannot push two windows' sends into one. */
  windowGuardMs: number;
  /** More recipients than this need a second key's approval. */
  approvalThreshold: number;
  /** A broadcast whose estimated template cost is above this many đồng needs a second admin too. */
  costApprovalVnd: number;
  /** Template prices per tag (đồng, by Zalo user id and by phone), overriding what Zalo states for a template. */
  templatePrices: Record<string, { uid: number; phone: number }>;
  /** Link buttons may only point at these domains (and their subdomains). */
  allowedLinkDomains: string[];
  /**
   * Quiet hours in Vietnam time, HH:MM; start > end wraps over midnight. Nothing is sent then.
   * A platform's own night (ChannelLimits.night: Zalo's) applies on top, even when this is null.
   */
  quietHours: { start: string; end: string } | null;
  timeZone: string;
  /** Deliveries per leased batch. */
  batchSize: number;
  /** How long a batch (or the audience stream) stays leased without renewal. */
  leaseMs: number;
  /** Batches one worker sends at once (they share the platform's pace). */
  lanes: number;
  /** Sends awaiting an answer at once per worker. */
  maxInFlight: number;
  /** 5xx and network failures are retried this many times, then the delivery fails. */
  maxAttempts: number;
  /** How long a platform pauses when it asked to slow down without saying for how long (Zalo). */
  unknownRetryAfterMs: number;
  /** First retry delay; doubled each attempt, with jitter. */
  retryBaseMs: number;
  /** How often a worker looks for work when idle, and re-reads a broadcast's status while sending. */
  pollMs: number;
  /** Chat users read per audience-cursor round. */
  audienceBatch: number;
}

export const DEFAULT_BROADCAST_CONFIG: BroadcastConfig = {
  limits: {},
  defaultLimits: { ratePerSecond: 10, perChatPerSecond: 1 },
  windowGuardMs: 5,
  approvalThreshold: 1000,
  costApprovalVnd: 1_000_000,
  templatePrices: {},
  allowedLinkDomains: ['baohiemxahoi.gov.vn', 'dichvucong.gov.vn', 'vssid.vn'],
  quietHours: { start: '21:00', end: '07:00' },
  timeZone: 'Asia/Ho_Chi_Minh',
  batchSize: 100,
  leaseMs: 30_000,
  lanes: 2,
  maxInFlight: 64,
  maxAttempts: 5,
  unknownRetryAfterMs: 2000,
  retryBaseMs: 500,
  pollMs: 500,
  audienceBatch: 500,
};

/** Defaults with the given fields replaced; `limits` merges per platform. */
export function broadcastConfig(overrides: Partial<BroadcastConfig> = {}): BroadcastConfig {
  return {
    ...DEFAULT_BROADCAST_CONFIG,
    ...overrides,
    limits: { ...DEFAULT_BROADCAST_CONFIG.limits, ...(overrides.limits ?? {}) },
  };
}

/** The pace on a platform: the configured override, else the channel's own, else the cautious default. */
export function limitsFor(config: BroadcastConfig, platform: string, channel?: Pick<ChannelLimits, 'ratePerSecond' | 'perChatPerSecond'>): PlatformLimits {
  return config.limits[platform] ?? (channel ? { ratePerSecond: channel.ratePerSecond, perChatPerSecond: channel.perChatPerSecond } : config.defaultLimits);
}

/** Turns the environment settings into config overrides for createBroadcasting. */
export function broadcastSettings(env: BroadcastEnvSettings): Partial<BroadcastConfig> {
  const zalo = { ratePerSecond: env.zaloRatePerSecond, perChatPerSecond: 1 };
  return {
    limits: {
      telegram: { ratePerSecond: env.telegramRatePerSecond, perChatPerSecond: env.telegramPerChatPerSecond },
      zalo,
      'zalo-bot': zalo,
    },
    approvalThreshold: env.approvalThreshold,
    costApprovalVnd: env.costApprovalVnd,
    templatePrices: env.templatePrices,
    allowedLinkDomains: env.allowedLinkDomains,
    quietHours: parseDailyWindow(env.quietHours),
  };
}
