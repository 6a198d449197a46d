import { z } from 'zod';
import { PiiCipher } from './security/pii-crypto.js';
import { BENEFIT_TYPES, type BenefitType } from './db/models/beneficiary.js';
import { errorMessage } from './errors.js';

/**
 * Every environment variable the app reads, parsed once at start-up.
 * Names are a public contract (deploy tooling sets them): never rename one.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce
  .number({ message: 'expected a port number 1-65535' })
  .int('expected a port number 1-65535')
  .min(1, 'expected a port number 1-65535')
  .max(65535, 'expected a port number 1-65535');

const positiveInt = (what: string) =>
  z.coerce.number({ message: `expected ${what}` }).int(`expected ${what}`).positive(`expected ${what}`);

/** One `benefit:percent` pair of CASHLESS_TARGETS: `overall` or a benefit type. */
const CASHLESS_TARGET = `(overall|${BENEFIT_TYPES.join('|')}):\\d{1,3}(\\.\\d+)?`;

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: port.default(3000),
    MONGODB_URI: z
      .string({ message: 'required: a MongoDB connection string, e.g. mongodb://localhost:27017/luonghuu' })
      .regex(/^mongodb(\+srv)?:\/\//, 'expected a mongodb:// or mongodb+srv:// connection string'),
    TELEGRAM_BOT_TOKEN: z
      .string()
      .regex(/^\d+:[\w-]+$/, 'expected a BotFather token like 123456:ABC-def')
      .optional(),
    TELEGRAM_WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, 'expected 16-256 characters of A-Z a-z 0-9 _ -')
      .optional(),
    TELEGRAM_API_ROOT: z.url({ message: 'expected a URL' }).default('https://api.telegram.org'),
    TELEGRAM_MODE: z.enum(['webhook', 'polling'], { message: 'expected webhook or polling' }).optional(),
    PUBLIC_URL: z.url({ message: 'expected the public https URL of this app' }).optional(),
    DEFAULT_LOCALE: z.enum(['vi', 'en'], { message: 'expected vi or en' }).default('vi'),
    SIMULATOR_ENABLED: bool.optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    METRICS_TOKEN: z.string().min(16, 'expected at least 16 characters').optional(),
    CONVERSATION_IDLE_MINUTES: positiveInt('a whole number of minutes').default(30),
    BHXH_HOTLINE: z.string().min(3).default('1900 9068'),
    SHUTDOWN_GRACE_SECONDS: positiveInt('a whole number of seconds').default(10),
    PII_ENCRYPTION_KEYS: z
      .string({ message: 'required: comma-separated version:base64key pairs, e.g. 1:<44 base64 chars>' })
      .regex(/^\d+:[A-Za-z0-9+/=]+(,\d+:[A-Za-z0-9+/=]+)*$/, 'expected version:base64key pairs, e.g. 1:<44 base64 chars>'),
    PII_KEY_VERSION: positiveInt('the key version used for new data').default(1),
    PII_INDEX_KEY: z
      .string({ message: 'required: base64 of at least 32 random bytes' })
      .regex(/^[A-Za-z0-9+/=]{43,}$/, 'expected base64 of at least 32 random bytes'),
    ADMIN_BOOTSTRAP_KEY: z.string().min(32, 'expected at least 32 characters').optional(),
    JOBS_ENABLED: bool.default(true),
    BROADCAST_TELEGRAM_RATE: positiveInt('messages per second').default(30),
    BROADCAST_TELEGRAM_PER_CHAT_RATE: positiveInt('messages per second').default(1),
    BROADCAST_ZALO_RATE: positiveInt('messages per second').default(10),
    BROADCAST_APPROVAL_THRESHOLD: z.coerce.number({ message: 'expected a whole number of recipients' }).int().min(0).default(1000),
    BROADCAST_COST_APPROVAL_VND: z.coerce.number({ message: 'expected a whole number of đồng' }).int().min(0).default(1_000_000),
    ZALO_TEMPLATE_PRICES: z
      .string()
      .regex(
        /^$|^(TRANSACTION|CUSTOMER_CARE|PROMOTION)=\d+\/\d+(,(TRANSACTION|CUSTOMER_CARE|PROMOTION)=\d+\/\d+)*$/,
        'expected TAG=uid/phone prices in đồng, comma-separated, e.g. TRANSACTION=200/300,CUSTOMER_CARE=200/300',
      )
      .default(''),
    BROADCAST_LINK_DOMAINS: z
      .string()
      .regex(/^[a-z0-9.-]+(,[a-z0-9.-]+)*$/i, 'expected comma-separated domains, e.g. baohiemxahoi.gov.vn,vssid.vn')
      .default('baohiemxahoi.gov.vn,dichvucong.gov.vn,vssid.vn'),
    BROADCAST_QUIET_HOURS: z
      .string()
      .regex(/^(off|([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d)$/, 'expected HH:MM-HH:MM (Vietnam time) or off')
      .default('21:00-07:00'),
    BROADCAST_WORKER_ENABLED: bool.default(true),
    TRUST_PROXY: z
      .string()
      .regex(/^(loopback|true|false|\d{1,2}|[0-9a-fA-F.:/, ]+)$/, 'expected loopback, a hop count, or proxy addresses/subnets')
      .default('loopback'),
    ADMIN_AUTH_MAX_FAILURES: positiveInt('a whole number of failed attempts').default(20),
    EWALLET_ENABLED: bool.default(false),
    PROXY_ACCOUNT_ALLOWED: bool.default(false),
    METHOD_CHANGE_COOLING_OFF_DAYS: z.coerce.number({ message: 'expected a whole number of days' }).int().min(0).default(3),
    METHOD_CHANGE_MIN_INTERVAL_DAYS: z.coerce.number({ message: 'expected a whole number of days' }).int().min(0).default(90),
    PAYMENT_DAYS: z
      .string()
      .regex(/^(default|\d{2}):\d{1,2}(,(default|\d{2}):\d{1,2})*$/, 'expected province:day pairs, e.g. default:5,08:10')
      .default('default:5'),
    ZALO_APP_ID: z.string().regex(/^\d+$/, 'expected the numeric Zalo app id').optional(),
    ZALO_APP_SECRET: z.string().min(8, 'expected the app secret from developers.zalo.me').optional(),
    ZALO_OA_SECRET_KEY: z.string().min(8, 'expected the OA secret key (webhook signatures)').optional(),
    ZALO_REFRESH_TOKEN: z.string().min(8, 'expected the OA refresh token').optional(),
    ZALO_API_BASE: z.url({ message: 'expected a URL' }).default('https://openapi.zalo.me'),
    ZALO_OAUTH_BASE: z.url({ message: 'expected a URL' }).default('https://oauth.zaloapp.com'),
    // Zalo's template (ZBS) and ZNS APIs live on their own host.
    ZALO_BUSINESS_API_BASE: z.url({ message: 'expected a URL' }).default('https://business.openapi.zalo.me'),
    ZALO_BOT_TOKEN: z.string().min(8, 'expected the Zalo Bot Platform token').optional(),
    ZALO_BOT_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{8,256}$/, 'expected 8-256 characters of A-Z a-z 0-9 _ -').optional(),
    ZALO_BOT_API_BASE: z.url({ message: 'expected a URL' }).default('https://bot-api.zaloplatforms.com'),
    STAFF_ALERT_TELEGRAM_CHAT_ID: z.string().regex(/^-?\d+$/, 'expected a Telegram chat id (a number, negative for groups)').optional(),
    CONSOLE_IDLE_MINUTES: positiveInt('a whole number of minutes').default(30),
    CASHLESS_TARGETS: z
      .string()
      .regex(
        new RegExp(`^${CASHLESS_TARGET}(,${CASHLESS_TARGET})*$`),
        'expected benefit:percent pairs, e.g. overall:50,pension:50,lump_sum:98,unemployment:100',
      )
      .refine((v) => v.split(',').every((pair) => Number(pair.split(':')[1]) <= 100), 'a percentage must be at most 100')
      .default('overall:50,pension:50,lump_sum:98,unemployment:100'),
  })
  .superRefine((env, ctx) => {
    const mode = env.TELEGRAM_MODE ?? 'webhook';
    const telegramWanted = env.TELEGRAM_BOT_TOKEN !== undefined || env.TELEGRAM_MODE !== undefined;
    if (telegramWanted && mode === 'webhook' && !env.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['TELEGRAM_WEBHOOK_SECRET'],
        message: 'required in webhook mode (16-256 characters of A-Z a-z 0-9 _ -)',
      });
    }
    const oa = [env.ZALO_APP_ID, env.ZALO_APP_SECRET, env.ZALO_OA_SECRET_KEY, env.ZALO_REFRESH_TOKEN];
    if (oa.some((v) => v !== undefined) && oa.some((v) => v === undefined)) {
      const names = ['ZALO_APP_ID', 'ZALO_APP_SECRET', 'ZALO_OA_SECRET_KEY', 'ZALO_REFRESH_TOKEN'];
      ctx.addIssue({ code: 'custom', path: [names[oa.findIndex((v) => v === undefined)]!], message: 'required: the Zalo OA needs ZALO_APP_ID, ZALO_APP_SECRET, ZALO_OA_SECRET_KEY and ZALO_REFRESH_TOKEN together' });
    }
    if (env.ZALO_BOT_TOKEN && !env.ZALO_BOT_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['ZALO_BOT_WEBHOOK_SECRET'], message: 'required when ZALO_BOT_TOKEN is set' });
    }
    if (env.TELEGRAM_MODE !== undefined && !env.TELEGRAM_BOT_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['TELEGRAM_BOT_TOKEN'], message: 'required when TELEGRAM_MODE is set' });
    }
  });

/** The broadcast settings config.ts reads from the environment (see the BROADCAST_* variables). */
export interface BroadcastEnvSettings {
  telegramRatePerSecond: number;
  telegramPerChatPerSecond: number;
  zaloRatePerSecond: number;
  approvalThreshold: number;
  /** A broadcast whose estimated Zalo template cost is above this (đồng) needs a second admin. */
  costApprovalVnd: number;
  /** Price per template message by Zalo user id and by phone, per template tag (đồng); a tag not listed costs what Zalo states. */
  templatePrices: Record<string, { uid: number; phone: number }>;
  allowedLinkDomains: string[];
  /** "21:00-07:00", or null for no quiet hours. */
  quietHours: string | null;
}

export type RawEnv = z.infer<typeof schema>;

export interface Config {
  env: RawEnv['NODE_ENV'];
  port: number;
  mongodbUri: string;
  defaultLocale: 'vi' | 'en';
  logLevel: RawEnv['LOG_LEVEL'];
  publicUrl?: string;
  telegram?: {
    token: string;
    mode: 'webhook' | 'polling';
    webhookSecret?: string;
    apiRoot: string;
  };
  simulatorEnabled: boolean;
  metricsToken?: string;
  conversationIdleMs: number;
  bhxhHotline: string;
  shutdownGraceMs: number;
  pii: { keys: string; currentVersion: number; indexKey: string };
  adminBootstrapKey?: string;
  /** Express `trust proxy`: which proxies' X-Forwarded-For to believe (audit IPs, login limits). */
  trustProxy: string | number | boolean;
  /** Staff broadcasts: pacing, four-eyes threshold, link allow-list, quiet hours. */
  broadcast: BroadcastEnvSettings & { workerEnabled: boolean };
  /** Run the periodic jobs (reminders, effective changes, purges) in this instance. */
  jobsEnabled: boolean;
  /** Failed admin authentications per address per 10 minutes before 429 (per instance). */
  adminAuthMaxFailures: number;
  payments: {
    ewalletEnabled: boolean;
    /** Some provinces let a frail pensioner's authorised child receive through the child's account. */
    proxyAccountAllowed: boolean;
    coolingOffDays: number;
    minIntervalDays: number;
    /** Day of month pensions are paid, by 2-digit province code; "default" for the rest. */
    paymentDays: Record<string, number>;
  };
  staffAlertTelegramChatId?: string;
  /** Staff web console: sessions end after this much inactivity. */
  consoleIdleMs: number;
  /** Cashless-adoption targets in percent, by benefit type plus `overall` (the plans' year-end goals). */
  cashlessTargets: Partial<Record<'overall' | BenefitType, number>>;
  /** Zalo Official Account (OA API v3), when all four credentials are set. */
  zaloOa?: { appId: string; appSecret: string; oaSecretKey: string; refreshToken: string; apiBase: string; oauthBase: string; businessApiBase: string };
  /** Zalo Bot Platform, for offices without an OA. */
  zaloBot?: { token: string; webhookSecret: string; apiBase: string };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; throws ConfigError whose message is one line naming the variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings come from `VAR=` lines in .env files: treat them as unset.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const message = issue.code === 'invalid_type' && cleaned[name] === undefined && !issue.message.startsWith('required')
      ? 'required'
      : issue.message;
    throw new ConfigError(`Invalid configuration: ${name}: ${message}`);
  }
  const env = parsed.data;
  try {
    PiiCipher.fromEnv({ keys: env.PII_ENCRYPTION_KEYS, currentVersion: env.PII_KEY_VERSION, indexKey: env.PII_INDEX_KEY });
  } catch (err) {
    throw new ConfigError(`Invalid configuration: ${errorMessage(err)}`);
  }
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    mongodbUri: env.MONGODB_URI,
    defaultLocale: env.DEFAULT_LOCALE,
    logLevel: env.LOG_LEVEL,
    publicUrl: env.PUBLIC_URL,
    telegram: env.TELEGRAM_BOT_TOKEN
      ? {
          token: env.TELEGRAM_BOT_TOKEN,
          mode: env.TELEGRAM_MODE ?? 'webhook',
          webhookSecret: env.TELEGRAM_WEBHOOK_SECRET,
          apiRoot: env.TELEGRAM_API_ROOT,
        }
      : undefined,
    // The simulator bypasses platform identity: never on in production unless asked for.
    simulatorEnabled: env.SIMULATOR_ENABLED ?? env.NODE_ENV !== 'production',
    metricsToken: env.METRICS_TOKEN,
    conversationIdleMs: env.CONVERSATION_IDLE_MINUTES * 60_000,
    bhxhHotline: env.BHXH_HOTLINE,
    shutdownGraceMs: env.SHUTDOWN_GRACE_SECONDS * 1000,
    pii: { keys: env.PII_ENCRYPTION_KEYS, currentVersion: env.PII_KEY_VERSION, indexKey: env.PII_INDEX_KEY },
    adminBootstrapKey: env.ADMIN_BOOTSTRAP_KEY,
    adminAuthMaxFailures: env.ADMIN_AUTH_MAX_FAILURES,
    jobsEnabled: env.JOBS_ENABLED,
    broadcast: {
      telegramRatePerSecond: env.BROADCAST_TELEGRAM_RATE,
      telegramPerChatPerSecond: env.BROADCAST_TELEGRAM_PER_CHAT_RATE,
      zaloRatePerSecond: env.BROADCAST_ZALO_RATE,
      approvalThreshold: env.BROADCAST_APPROVAL_THRESHOLD,
      costApprovalVnd: env.BROADCAST_COST_APPROVAL_VND,
      templatePrices: Object.fromEntries(
        env.ZALO_TEMPLATE_PRICES.split(',')
          .filter((part) => part !== '')
          .map((part) => {
            const [tag, prices] = part.split('=') as [string, string];
            const [uid, phone] = prices.split('/').map(Number) as [number, number];
            return [tag, { uid, phone }];
          }),
      ),
      allowedLinkDomains: env.BROADCAST_LINK_DOMAINS.split(',').map((d) => d.trim().toLowerCase()),
      quietHours: env.BROADCAST_QUIET_HOURS === 'off' ? null : env.BROADCAST_QUIET_HOURS,
      workerEnabled: env.BROADCAST_WORKER_ENABLED,
    },
    trustProxy: env.TRUST_PROXY === 'true' ? true : env.TRUST_PROXY === 'false' ? false : /^\d{1,2}$/.test(env.TRUST_PROXY) ? Number(env.TRUST_PROXY) : env.TRUST_PROXY,
    payments: {
      ewalletEnabled: env.EWALLET_ENABLED,
      proxyAccountAllowed: env.PROXY_ACCOUNT_ALLOWED,
      coolingOffDays: env.METHOD_CHANGE_COOLING_OFF_DAYS,
      minIntervalDays: env.METHOD_CHANGE_MIN_INTERVAL_DAYS,
      paymentDays: Object.fromEntries(
        env.PAYMENT_DAYS.split(',').map((pair) => {
          const [province, day] = pair.split(':');
          return [province!, Number(day)];
        }),
      ),
    },
    staffAlertTelegramChatId: env.STAFF_ALERT_TELEGRAM_CHAT_ID,
    consoleIdleMs: env.CONSOLE_IDLE_MINUTES * 60_000,
    cashlessTargets: Object.fromEntries(
      env.CASHLESS_TARGETS.split(',').map((pair) => {
        const [benefit, percent] = pair.split(':');
        return [benefit!, Number(percent)];
      }),
    ),
    zaloOa:
      env.ZALO_APP_ID && env.ZALO_APP_SECRET && env.ZALO_OA_SECRET_KEY && env.ZALO_REFRESH_TOKEN
        ? {
            appId: env.ZALO_APP_ID,
            appSecret: env.ZALO_APP_SECRET,
            oaSecretKey: env.ZALO_OA_SECRET_KEY,
            refreshToken: env.ZALO_REFRESH_TOKEN,
            apiBase: env.ZALO_API_BASE,
            oauthBase: env.ZALO_OAUTH_BASE,
            businessApiBase: env.ZALO_BUSINESS_API_BASE,
          }
        : undefined,
    zaloBot:
      env.ZALO_BOT_TOKEN && env.ZALO_BOT_WEBHOOK_SECRET
        ? { token: env.ZALO_BOT_TOKEN, webhookSecret: env.ZALO_BOT_WEBHOOK_SECRET, apiBase: env.ZALO_BOT_API_BASE }
        : undefined,
  };
}
